/* A library the FIXTURE_NEEDS_DEPENDENCY plugin links against; the tests hide it from the loader. */
int catalog_fixture_dependency(void) { return 42; }
