/*
 * hello — a catalog plugin written in plain C against catalog_plugin.h, with no SDK.
 *
 * It proves the ABI is language-neutral: register, init, one route, asynchronous answers.
 *   GET {basePath}/greetings/{name}  ->  {"greeting":"Hello, <name>!","language":"C"}
 *
 * Build: cc -std=c11 -fPIC -shared -fvisibility=hidden -I PluginSDK/include hello_plugin.c -o hello-c.so
 * (CATALOG_PLUGIN_EXPORT keeps catalog_plugin_register exported under -fvisibility=hidden.)
 */
#include "catalog_plugin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ROUTE_GREETING = 1 };

static const catalog_host_api *host;
static catalog_plugin_handle *handle;

/* Writes `text` as a JSON string body into `out`; returns the length, or -1 if it does not fit. */
static int json_escape(const char *text, char *out, size_t capacity) {
    size_t used = 0;
    for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
        char escaped[8];
        int length;
        if (*c == '"' || *c == '\\') {
            length = snprintf(escaped, sizeof escaped, "\\%c", *c);
        } else if (*c < 0x20) {
            length = snprintf(escaped, sizeof escaped, "\\u%04x", *c);
        } else {
            escaped[0] = (char)*c;
            length = 1;
        }
        if (used + (size_t)length >= capacity) return -1;
        memcpy(out + used, escaped, (size_t)length);
        used += (size_t)length;
    }
    out[used] = '\0';
    return (int)used;
}

static void respond_json(catalog_call_id call, uint16_t status, const char *body) {
    catalog_response response = {
        .struct_size = sizeof response,
        .status = status,
        .content_type = "application/json",
        .body = (const uint8_t *)body,
        .body_length = strlen(body),
    };
    host->respond(call, &response);
}

static void hello_init(void *context, const catalog_init_params *params, catalog_call_id call) {
    (void)context;
    handle = params->handle;
    char message[512];
    snprintf(message, sizeof message, "hello plugin initialised at %s", params->base_path);
    host->log(handle, CATALOG_LOG_INFO, message);
    host->complete(call, CATALOG_STATUS_OK, NULL);
}

static catalog_status hello_routes(void *context, catalog_route_table *table) {
    (void)context;
    return host->add_route(table, "GET", "/greetings/{name}", ROUTE_GREETING);
}

static void hello_handle(void *context, const catalog_request *request, catalog_call_id call) {
    (void)context;
    const char *name = NULL;
    for (size_t i = 0; i < request->path_param_count; i++) {
        if (strcmp(request->path_params[i].key, "name") == 0) name = request->path_params[i].value;
    }
    if (request->route_id != ROUTE_GREETING || name == NULL) {
        respond_json(call, 404, "{\"error\":\"no such route\",\"code\":\"404\",\"message\":\"no such route\"}");
        return;
    }
    char escaped[256];
    if (json_escape(name, escaped, sizeof escaped) < 0) {
        respond_json(call, 400, "{\"error\":\"name is too long\",\"code\":\"400\",\"message\":\"name is too long\"}");
        return;
    }
    char body[512];
    snprintf(body, sizeof body, "{\"greeting\":\"Hello, %s!\",\"language\":\"C\"}", escaped);
    /* A line about this request: log_call (ABI 1.3) lets the host tag it with the request's id. */
    char line[320];
    snprintf(line, sizeof line, "greeted %s", escaped);
    if (host->abi_minor >= 3) {
        host->log_call(handle, call, CATALOG_LOG_DEBUG, line);
    } else {
        host->log(handle, CATALOG_LOG_DEBUG, line);
    }
    respond_json(call, 200, body);
}

CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *api, catalog_registrar *registrar) {
    host = api;
    catalog_plugin_descriptor descriptor = {
        .struct_size = sizeof descriptor,
        .abi_major = CATALOG_ABI_MAJOR,
        .abi_minor = CATALOG_TARGET_ABI_MINOR,
        .name = "hello",
        .version = "v1",
        .description = "Greetings from a plugin written in C",
        .init = hello_init,
        .register_routes = hello_routes,
        .handle_request = hello_handle,
        .sdk_version = "C (no SDK)",
        .min_host_version = "0.1.0",
    };
    return host->register_plugin(registrar, &descriptor);
}
