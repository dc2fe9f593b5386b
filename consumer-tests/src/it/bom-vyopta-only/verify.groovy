def helper = evaluate(new File(itSources, 'deps.groovy'))
def deps = helper.dependencies(basedir)
def (tests, failed) = helper.testCounts(basedir)
assert tests == 1 && failed == 0 : "tests=${tests}, failed=${failed}"

assert deps['io.servicetoken:token-vyopta'] && deps['io.servicetoken:token-core'] && deps['io.servicetoken:token-testing']
def otherVendors = deps.keySet().findAll {
  it ==~ /io\.servicetoken:token-(viveport|appviewx|singleview|sportradar)/
}
assert otherVendors.isEmpty() : "token-vyopta alone pulled in ${otherVendors}"
assert !deps.keySet().any { it.startsWith('io.micrometer:') || it.startsWith('io.lettuce:') || it.startsWith('io.netty:') } :
    'an app without fleets or metrics pulls in neither Lettuce nor Micrometer'
def okio = helper.assertOneVersion(deps, 'okio') { it ==~ /com\.squareup\.okio:okio(-jvm)?/ }
def kotlin = helper.assertOneVersion(deps, 'kotlin-stdlib') { it.startsWith('org.jetbrains.kotlin:kotlin-stdlib') }
println "vyopta-only: okio ${okio}, kotlin-stdlib ${kotlin}, ${deps.size()} artifacts"
return true
