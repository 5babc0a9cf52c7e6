// The consumer build passed only if its test ran, and the agent left its script behind.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0')
assert new File(basedir, 'workspace/hello.sh').text.contains('Hello from CodePilot')
return true
