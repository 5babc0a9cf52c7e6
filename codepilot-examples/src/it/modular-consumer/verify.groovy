// The modular consumer passed only if the program ran as a named module, saw the core's
// exports and the OpenAI provider bound as a service, and the agent's block (which imports
// Python's json module) ran its tools and finished.
def log = new File(basedir, 'build.log').text
assert log.contains('module: dev.codepilot\n') || log.contains('module: dev.codepilot\r\n')
assert log.contains('exports: [dev.codepilot, dev.codepilot.config, dev.codepilot.exception, dev.codepilot.hooks, '
    + 'dev.codepilot.model, dev.codepilot.session, dev.codepilot.tools]')
assert log.contains('provider: dev.codepilot.model.openai/OpenAiProvider')
assert log.contains('⚙️ [write_file]({"path":"hello.sh"})')
assert log.contains('modular: {"script": "hello.sh", "ran": true}')
assert new File(basedir, 'workspace/hello.sh').text.contains('Hello from CodePilot')
return true
