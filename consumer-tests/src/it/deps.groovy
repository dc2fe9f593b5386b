// Shared by the consumer projects' verify.groovy: reads target/dependencies.txt (dependency:list) into
// [groupId:artifactId -> version], and the surefire reports into [tests, failures + errors].
def dependencies(File basedir) {
  def file = new File(basedir, 'target/dependencies.txt')
  assert file.isFile() : "dependency:list did not write ${file}"
  def result = [:]
  file.eachLine { line ->
    def coordinates = line.trim().split(/\s+/)[0].split(':')
    // groupId:artifactId:type[:classifier]:version:scope
    if (coordinates.length >= 5) result["${coordinates[0]}:${coordinates[1]}".toString()] = coordinates[-2]
  }
  assert !result.isEmpty() : "no dependencies listed in ${file}"
  return result
}

def testCounts(File basedir) {
  def tests = 0, failed = 0
  new File(basedir, 'target/surefire-reports').eachFileMatch(~/TEST-.*\.xml/) { report ->
    def suite = (report.text =~ /<testsuite [^>]*/)[0]
    def count = { String name -> ((suite =~ /\b${name}="(\d+)"/)[0][1]) as int }
    tests += count('tests')
    failed += count('failures') + count('errors') + count('skipped')
  }
  return [tests, failed]
}

/** One version for every artifact of a family, e.g. okio and okio-jvm. */
def assertOneVersion(Map deps, String family, Closure<Boolean> member) {
  def versions = deps.findAll { k, v -> member(k) }.collect { k, v -> v }.unique()
  assert versions.size() == 1 : "${family}: expected one version, found ${deps.findAll { k, v -> member(k) }}"
  return versions[0]
}

return this
