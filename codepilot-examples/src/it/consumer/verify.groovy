// The consumer build passed only if the program printed the agent's progress and summary, and
// the agent left its script in the workspace.
def log = new File(basedir, 'build.log').text
assert log.contains('⚙️ [write_file]({"path":"hello.sh"})')
assert log.contains('Created hello.sh in the workspace; running it prints a greeting.')
assert new File(basedir, 'workspace/hello.sh').text.contains('Hello from CodePilot')
return true
