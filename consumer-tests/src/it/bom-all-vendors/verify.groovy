def helper = evaluate(new File(itSources, 'deps.groovy'))
def deps = helper.dependencies(basedir)
def (tests, failed) = helper.testCounts(basedir)
assert tests == 5 && failed == 0 : "tests=${tests}, failed=${failed}"

def version = deps['io.servicetoken:token-core']
['viveport', 'appviewx', 'vyopta', 'singleview', 'sportradar', 'testing'].each {
  assert deps["io.servicetoken:token-${it}"] == version : "token-${it} not aligned with token-core ${version}"
}
assert deps['com.squareup.okhttp3:okhttp'] == '4.12.0'
helper.assertOneVersion(deps, 'okio') { it ==~ /com\.squareup\.okio:okio(-jvm)?/ }
helper.assertOneVersion(deps, 'kotlin-stdlib') { it.startsWith('org.jetbrains.kotlin:kotlin-stdlib') }
return true
