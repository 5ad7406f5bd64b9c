/*
 * Test fixture plugins, one variant per -D flag, built by the tests with cc:
 *
 *   FIXTURE_NAME="x"          plugin name (default "fixture")
 *   FIXTURE_ABI_MAJOR=n       declare another ABI major version
 *   FIXTURE_NO_SYMBOL         do not export catalog_plugin_register
 *   FIXTURE_NEEDS_DEPENDENCY  call into libcatalog_fixture_dependency.so (link it with -l)
 *   FIXTURE_REGISTER_FAILS    catalog_plugin_register reports an error
 *   FIXTURE_INIT_FAILS        init completes with an error
 *   FIXTURE_INIT_FAILS_SILENTLY init completes with an error and no message
 *   FIXTURE_START_FAILS       start completes with an error
 *   FIXTURE_REGISTER_SEGFAULTS catalog_plugin_register dereferences NULL
 *   FIXTURE_INIT_TRAPS        init executes a trap instruction (as a Swift runtime trap does)
 *   FIXTURE_INIT_HANGS        init never returns
 *   FIXTURE_MIN_HOST_VERSION="v" require catalog-server v or newer
 *   FIXTURE_SWIFT_VERSION="v"    declare itself a Swift plugin built with Swift v
 *   FIXTURE_BAD_CAPABILITIES_DOCUMENT  offer capabilities.v2 with a document that breaks the schema
 *   FIXTURE_ABI_1_0           be a plugin built against ABI 1.0 (a smaller descriptor)
 *   FIXTURE_RELEASE_FILE="p"  GET /slow blocks until file p exists (30 s at most)
 *   FIXTURE_STARTED_FILE="p"  GET /slow creates file p when it starts
 *   FIXTURE_FORGES_READY      in a worker process, init writes a ready report of its own to the
 *                             worker's socket (file descriptor 0), declaring a route under
 *                             /management and a capabilities document
 *   POST /echo answers {"bytes":N}, the length of the request's body.
 *   GET /applies answers {"applies":N}, how often config.apply was invoked (every variant
 *   offers the "config" capability);
 *   GET /crash segfaults (tests request it only from a worker process),
 *   GET /silent never gets an answer, and GET /slow blocks its thread (a second, or until the
 *   release file exists) before answering, in every variant.
 *
 * Every variant that gets that far serves GET {basePath}/ping -> {"pong":"<name>"}.
 */
#define _DEFAULT_SOURCE /* usleep */
#include "catalog_plugin.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "fixture"
#endif
#ifndef FIXTURE_ABI_MAJOR
#define FIXTURE_ABI_MAJOR CATALOG_ABI_MAJOR
#endif

#ifdef FIXTURE_NEEDS_DEPENDENCY
int catalog_fixture_dependency(void);
#endif

/* The no-symbol variant leaves every function unused. */
#define FIXTURE_FUNCTION static __attribute__((unused))

enum { ROUTE_PING = 1, ROUTE_SILENT = 2, ROUTE_SLOW = 3, ROUTE_CRASH = 4, ROUTE_APPLIES = 5, ROUTE_ECHO = 6 };

static int applies __attribute__((unused));
#ifdef FIXTURE_BAD_CAPABILITIES_DOCUMENT
static const char *const capabilities[] __attribute__((unused)) = {CATALOG_CAPABILITY_CONFIG, CATALOG_CAPABILITY_CAPABILITIES_V2, NULL};
#else
static const char *const capabilities[] __attribute__((unused)) = {CATALOG_CAPABILITY_CONFIG, NULL};
#endif

static const catalog_host_api *host;

#ifdef FIXTURE_FORGES_READY
#include <arpa/inet.h>
/* A frame as the worker writes one: a 4-byte big-endian length, then JSON. */
static void forge_ready(void) {
    static const char report[] =
        "{\"kind\":\"ready\",\"ready\":{\"failures\":[],\"plugins\":[{\"serving\":true,"
        "\"identity\":{\"name\":\"" FIXTURE_NAME "\",\"version\":\"v1\",\"description\":\"forged\","
        "\"capabilities\":[],\"abiVersion\":\"1.3\"},"
        "\"capabilitiesDocument\":{\"forged\":true},"
        "\"routes\":[{\"method\":\"GET\",\"pattern\":\"/ping\",\"routeID\":0,\"routerPattern\":\"/ping\"},"
        "{\"method\":\"GET\",\"pattern\":\"/management/x\",\"routeID\":1,\"routerPattern\":\"/management/x\"}]}]}}";
    uint32_t length = htonl((uint32_t)(sizeof report - 1));
    if (write(0, &length, sizeof length) == (ssize_t)sizeof length) {
        if (write(0, report, sizeof report - 1) < 0) return;
    }
}
#endif

FIXTURE_FUNCTION void fixture_init(void *context, const catalog_init_params *params, catalog_call_id call) {
    (void)context;
    (void)params;
#ifdef FIXTURE_INIT_TRAPS
    __builtin_trap();
#endif
#ifdef FIXTURE_INIT_HANGS
    for (;;) pause();
#endif
#ifdef FIXTURE_FORGES_READY
    forge_ready();
#endif
#ifdef FIXTURE_INIT_FAILS
    host->complete(call, CATALOG_STATUS_ERROR, "fixture init failed: database unreachable");
#elif defined(FIXTURE_INIT_FAILS_SILENTLY)
    host->complete(call, CATALOG_STATUS_ERROR, NULL);
#else
    host->complete(call, CATALOG_STATUS_OK, NULL);
#endif
}

FIXTURE_FUNCTION void fixture_start(void *context, catalog_call_id call) {
    (void)context;
#ifdef FIXTURE_START_FAILS
    host->complete(call, CATALOG_STATUS_ERROR, "fixture start failed: port in use");
#else
    host->complete(call, CATALOG_STATUS_OK, NULL);
#endif
}

FIXTURE_FUNCTION catalog_status fixture_routes(void *context, catalog_route_table *table) {
    (void)context;
    catalog_status status = host->add_route(table, "GET", "/ping", ROUTE_PING);
    if (status == CATALOG_STATUS_OK) status = host->add_route(table, "GET", "/silent", ROUTE_SILENT);
    if (status == CATALOG_STATUS_OK) status = host->add_route(table, "GET", "/slow", ROUTE_SLOW);
    if (status == CATALOG_STATUS_OK) status = host->add_route(table, "GET", "/crash", ROUTE_CRASH);
    if (status == CATALOG_STATUS_OK) status = host->add_route(table, "GET", "/applies", ROUTE_APPLIES);
    if (status == CATALOG_STATUS_OK) status = host->add_route(table, "POST", "/echo", ROUTE_ECHO);
    return status;
}

FIXTURE_FUNCTION void fixture_handle(void *context, const catalog_request *request, catalog_call_id call) {
    (void)context;
    if (request->route_id == ROUTE_SILENT) return; /* never answered: the host's deadline ends it */
    if (request->route_id == ROUTE_CRASH) *(volatile int *)0 = 1; /* only ever requested in process isolation */
    if (request->route_id == ROUTE_SLOW) { /* blocks the calling thread, against the ABI's rules */
#ifdef FIXTURE_STARTED_FILE
        FILE *started = fopen(FIXTURE_STARTED_FILE, "w");
        if (started) fclose(started);
#endif
#ifdef FIXTURE_RELEASE_FILE
        for (int waited = 0; access(FIXTURE_RELEASE_FILE, F_OK) != 0 && waited < 3000; waited++) usleep(10000);
#else
        sleep(1);
#endif
    }
    static const char pong[] = "{\"pong\":\"" FIXTURE_NAME "\"}";
    char counted[64];
    snprintf(counted, sizeof counted, "{\"applies\":%d}", __atomic_load_n(&applies, __ATOMIC_SEQ_CST));
    if (request->route_id == ROUTE_ECHO) snprintf(counted, sizeof counted, "{\"bytes\":%zu}", request->body_length);
    const char *body = request->route_id == ROUTE_APPLIES || request->route_id == ROUTE_ECHO ? counted : pong;
    catalog_response response = {
        .struct_size = sizeof response,
        .status = 200,
        .body = (const uint8_t *)body,
        .body_length = strlen(body),
    };
    host->respond(call, &response);
}

FIXTURE_FUNCTION void fixture_invoke(void *context, const char *operation, const uint8_t *input, size_t length,
                                     catalog_call_id call) {
    (void)context;
    (void)input;
    (void)length;
    if (strcmp(operation, CATALOG_OPERATION_CONFIG_APPLY) == 0) __atomic_add_fetch(&applies, 1, __ATOMIC_SEQ_CST);
    const char *body = "{}";
#ifdef FIXTURE_BAD_CAPABILITIES_DOCUMENT
    /* An entity whose kind is a number and whose endpoints are missing. */
    if (strcmp(operation, CATALOG_OPERATION_CAPABILITIES_V2_GET) == 0) body = "{\"schemaVersion\":\"v1\",\"entities\":[{\"kind\":3}]}";
#endif
    catalog_response response = {.struct_size = sizeof response, .status = 200, .body = (const uint8_t *)body, .body_length = strlen(body)};
    host->respond(call, &response);
}

#ifndef FIXTURE_NO_SYMBOL
CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *api, catalog_registrar *registrar) {
    host = api;
#ifdef FIXTURE_REGISTER_SEGFAULTS
    *(volatile int *)registrar = 0;
    *(volatile int *)0 = 1;
#endif
#ifdef FIXTURE_NEEDS_DEPENDENCY
    if (catalog_fixture_dependency() != 42) return CATALOG_STATUS_ERROR;
#endif
#ifdef FIXTURE_REGISTER_FAILS
    host->report_error(registrar, "fixture refuses to register: licence file missing");
    return CATALOG_STATUS_ERROR;
#endif
    catalog_plugin_descriptor descriptor = {
        .struct_size = sizeof descriptor,
        .abi_major = FIXTURE_ABI_MAJOR,
        .abi_minor = CATALOG_TARGET_ABI_MINOR,
        .name = FIXTURE_NAME,
        .version = "v1",
        .description = "test fixture",
        .init = fixture_init,
        .start = fixture_start,
        .register_routes = fixture_routes,
        .handle_request = fixture_handle,
        .capabilities = capabilities,
        .invoke = fixture_invoke,
#ifdef FIXTURE_MIN_HOST_VERSION
        .min_host_version = FIXTURE_MIN_HOST_VERSION,
#endif
#ifdef FIXTURE_SWIFT_VERSION
        .swift_version = FIXTURE_SWIFT_VERSION,
#endif
    };
#ifdef FIXTURE_ABI_1_0
    descriptor.struct_size = offsetof(catalog_plugin_descriptor, sdk_version);
    descriptor.abi_minor = 0;
#endif
    return host->register_plugin(registrar, &descriptor);
}
#else
int fixture_without_the_symbol(void) { return 0; }
#endif
