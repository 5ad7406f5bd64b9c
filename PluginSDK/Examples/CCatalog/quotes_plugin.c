/*
 * quotes — a catalog plugin in plain C, the template for authors without the Swift SDK.
 * One route, GET {basePath}/quotes/{id}, answered from a table; built against today's header
 * but declaring ABI 1.0, so every 1.x server loads it (see CATALOG_TARGET_ABI_MINOR in
 * catalog_plugin.h). Build:
 *
 *   cc -std=c11 -O2 -Wall -Wextra -fPIC -shared -fvisibility=hidden -I ../../include quotes_plugin.c -o quotes.so
 *
 * (or `make`), then copy quotes.so into the server's plugin directory (mode 0755, owned by
 * the server's user or root) and restart or send SIGHUP: GET /api/quotes_catalog/v1/quotes/1.
 */
#define CATALOG_TARGET_ABI_MINOR 0
#include "catalog_plugin.h"

#include <stdio.h>
#include <string.h>

enum { ROUTE_QUOTE = 1 };

static const catalog_host_api *host;
static catalog_plugin_handle *handle;

static const char *const quotes[] = {
    "Simplicity is prerequisite for reliability.",
    "Make it work, make it right, make it fast.",
    "Premature optimization is the root of all evil.",
};

static void respond(catalog_call_id call, uint16_t status, const char *body) {
    catalog_response response = {
        .struct_size = sizeof response,
        .status = status,
        .content_type = "application/json",
        .body = (const uint8_t *)body,
        .body_length = strlen(body),
    };
    host->respond(call, &response); /* the host copies the response before returning */
}

static void quotes_init(void *context, const catalog_init_params *params, catalog_call_id call) {
    (void)context;
    handle = params->handle;
    host->log(handle, CATALOG_LOG_INFO, "quotes ready");
    host->complete(call, CATALOG_STATUS_OK, NULL);
}

static catalog_status quotes_routes(void *context, catalog_route_table *table) {
    (void)context;
    return host->add_route(table, "GET", "/quotes/{id}", ROUTE_QUOTE);
}

/* Called on one of the plugin's own threads; answers at once (never block here). */
static void quotes_handle(void *context, const catalog_request *request, catalog_call_id call) {
    (void)context;
    const char *id = NULL;
    for (size_t i = 0; i < request->path_param_count; i++) {
        if (strcmp(request->path_params[i].key, "id") == 0) id = request->path_params[i].value;
    }
    int index = -1;
    if (id != NULL && strlen(id) == 1 && id[0] >= '1' && id[0] <= '3') index = id[0] - '1';
    if (index < 0) {
        respond(call, 404, "{\"error\":\"no such quote\",\"code\":\"404\",\"message\":\"no such quote\"}");
        return;
    }
    /* A 1.3 host tags this line with the request's id; an older one has no log_call. */
    if (CATALOG_STRUCT_HAS(host, catalog_host_api, log_call)) {
        host->log_call(handle, call, CATALOG_LOG_DEBUG, "quote served");
    }
    char body[256];
    snprintf(body, sizeof body, "{\"id\":%d,\"quote\":\"%s\"}", index + 1, quotes[index]);
    respond(call, 200, body);
}

CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *api, catalog_registrar *registrar) {
    host = api;
    catalog_plugin_descriptor descriptor = {
        .struct_size = sizeof descriptor,
        .abi_major = CATALOG_ABI_MAJOR,
        .abi_minor = CATALOG_TARGET_ABI_MINOR,
        .name = "quotes",
        .version = "v1",
        .description = "Quotes, from a plugin written in C",
        .init = quotes_init,
        .register_routes = quotes_routes,
        .handle_request = quotes_handle,
    };
    return host->register_plugin(registrar, &descriptor); /* the host copies the descriptor */
}
