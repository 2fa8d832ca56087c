// tests/plugins/no_factory.cpp — a plain shared library named like a plugin
// but without any Conflux entry point; the host must refuse it.
//
// Thread-safety: not applicable (no state).
extern "C" __attribute__((visibility("default"))) int conflux_fixture_answer() { return 42; }
