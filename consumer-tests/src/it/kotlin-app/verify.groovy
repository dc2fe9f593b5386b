def helper = evaluate(new File(itSources, 'deps.groovy'))
def deps = helper.dependencies(basedir)
def (tests, failed) = helper.testCounts(basedir)
assert tests == 3 && failed == 0 : "tests=${tests}, failed=${failed}"

def version = deps['io.servicetoken:token-core']
['vyopta', 'sportradar', 'testing'].each {
  assert deps["io.servicetoken:token-${it}"] == version : "token-${it} not aligned with token-core ${version}"
}

// The app's JUnit BOM decides every JUnit artifact, and token-testing adds none of its own to the app.
def jupiter = helper.assertOneVersion(deps, 'junit-jupiter') { it.startsWith('org.junit.jupiter:') }
assert jupiter == '5.10.3' : "JUnit Jupiter ${jupiter}, not the app's 5.10.3"
def platform = helper.assertOneVersion(deps, 'junit-platform') { it.startsWith('org.junit.platform:') }
assert platform == '1.10.3' : "JUnit Platform ${platform}, not the app's 1.10.3"
def testingPom = new File(localRepositoryPath, "io/servicetoken/token-testing/${version}/token-testing-${version}.pom").text
def junitInPom = (testingPom =~ /(?s)<dependency>\s*<groupId>org\.junit[^<]*<\/groupId>.*?<\/dependency>/).collect { it }
assert !junitInPom.isEmpty() && junitInPom.every { it =~ /<scope>(provided|test)<\/scope>/ } :
    "token-testing's POM must leave JUnit to its user (provided or test scope only): ${junitInPom}"

helper.assertOneVersion(deps, 'okio') { it ==~ /com\.squareup\.okio:okio(-jvm)?/ }
def kotlin = helper.assertOneVersion(deps, 'kotlin-stdlib') { it.startsWith('org.jetbrains.kotlin:kotlin-stdlib') }
println "kotlin-app: kotlin-stdlib ${kotlin}, JUnit ${jupiter}, ${deps.size()} artifacts"
return true
