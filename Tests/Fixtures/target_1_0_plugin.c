/*
 * A plugin built against ABI 1.0 through the header's own switch: CATALOG_TARGET_ABI_MINOR 0
 * leaves the 1.1 descriptor members (sdk_version, min_host_version) undeclared, so
 * sizeof(catalog_plugin_descriptor) is the 1.0 size and `.abi_minor = CATALOG_TARGET_ABI_MINOR`
 * declares 1.0 — nothing is set by hand (compare FIXTURE_ABI_1_0 in fixture_plugin.c).
 *
 *   TARGET_NAME="x"   plugin name (default "old")
 *
 * Serves GET {basePath}/ping -> {"pong":"1.0"}.
 *
 * Build: cc -std=c11 -Wall -Werror -fPIC -shared -I PluginSDK/include target_1_0_plugin.c -o old.so
 */
#ifndef CATALOG_TARGET_ABI_MINOR
#define CATALOG_TARGET_ABI_MINOR 0 /* -DCATALOG_TARGET_ABI_MINOR=N builds the same plugin for 1.N */
#endif
#include "catalog_plugin.h"

#include <string.h>

#ifndef TARGET_NAME
#define TARGET_NAME "old"
#endif

enum { ROUTE_PING = 1 };

static const catalog_host_api *host;

static void old_init(void *context, const catalog_init_params *params, catalog_call_id call) {
    (void)context;
    (void)params;
    host->complete(call, CATALOG_STATUS_OK, NULL);
}

static catalog_status old_routes(void *context, catalog_route_table *table) {
    (void)context;
    return host->add_route(table, "GET", "/ping", ROUTE_PING);
}

static void old_handle(void *context, const catalog_request *request, catalog_call_id call) {
    (void)context;
    static const char pong[] = "{\"pong\":\"1.0\"}";
    static const char unknown[] = "{\"error\":\"no such route\"}";
    const char *body = request->route_id == ROUTE_PING ? pong : unknown;
    catalog_response response = {
        .struct_size = sizeof response,
        .status = request->route_id == ROUTE_PING ? 200 : 404,
        .body = (const uint8_t *)body,
        .body_length = strlen(body),
    };
    host->respond(call, &response);
}

CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *api, catalog_registrar *registrar) {
    host = api;
    catalog_plugin_descriptor descriptor = {
        .struct_size = sizeof descriptor,
        .abi_major = CATALOG_ABI_MAJOR,
        .abi_minor = CATALOG_TARGET_ABI_MINOR,
        .name = TARGET_NAME,
        .version = "v1",
        .description = "a plugin built for ABI 1.0",
        .init = old_init,
        .register_routes = old_routes,
        .handle_request = old_handle,
    };
    return host->register_plugin(registrar, &descriptor);
}
