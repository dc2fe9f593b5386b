def helper = evaluate(new File(itSources, 'deps.groovy'))
def deps = helper.dependencies(basedir)
def (tests, failed) = helper.testCounts(basedir)
assert tests == 6 && failed == 0 : "tests=${tests}, failed=${failed}"

assert deps['com.squareup.okhttp3:okhttp-jvm'] == '5.3.2'
assert deps['com.squareup.okhttp3:okhttp'] == '5.3.2' : 'OkHttp 4.12 was not displaced'
def okhttp4 = deps.findAll { k, v -> k.startsWith('com.squareup.okhttp3:') && v.startsWith('4.') }
assert okhttp4.isEmpty() : "OkHttp 4 still on the classpath: ${okhttp4}"
helper.assertOneVersion(deps, 'okio') { it ==~ /com\.squareup\.okio:okio(-jvm)?/ }
return true
