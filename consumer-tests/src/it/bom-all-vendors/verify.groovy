def helper = evaluate(new File(itSources, 'deps.groovy'))
def deps = helper.dependencies(basedir)
def (tests, failed) = helper.testCounts(basedir)
assert tests == 6 && failed == 0 : "tests=${tests}, failed=${failed}"

def version = deps['io.servicetoken:token-core']
['viveport', 'appviewx', 'vyopta', 'singleview', 'sportradar', 'testing', 'redis', 'micrometer'].each {
  assert deps["io.servicetoken:token-${it}"] == version : "token-${it} not aligned with token-core ${version}"
}
assert deps['com.squareup.okhttp3:okhttp'] == '4.12.0'
assert deps['io.micrometer:micrometer-core'] == '1.16.8' : "the app's Micrometer wins: ${deps['io.micrometer:micrometer-core']}"
helper.assertOneVersion(deps, 'okio') { it ==~ /com\.squareup\.okio:okio(-jvm)?/ }
helper.assertOneVersion(deps, 'kotlin-stdlib') { it.startsWith('org.jetbrains.kotlin:kotlin-stdlib') }
return true
