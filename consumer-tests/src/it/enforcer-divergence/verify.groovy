def log = new File(basedir, 'build.log').text
assert log.contains('RequireUpperBoundDeps') || log.contains('DependencyConvergence') : 'enforcer did not run'
assert log.contains('com.squareup.okio:okio-jvm') : 'the diverging artifact is not named'
assert !log.contains('BUILD SUCCESS')
