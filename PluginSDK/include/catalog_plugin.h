/*
 * catalog_plugin.h — the catalog-server plugin ABI.
 *
 * This header is the only contract between the catalog-server host and a catalog plugin.
 * A plugin is a shared object (.so) that exports one C symbol, `catalog_plugin_register`.
 * Only C types cross the boundary; a plugin may be written in any language with a C ABI.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * VERSIONING AND COMPATIBILITY RULE
 * ───────────────────────────────────────────────────────────────────────────────────────
 * The ABI version is MAJOR.MINOR (CATALOG_ABI_MAJOR, CATALOG_ABI_MINOR). Every descriptor a
 * plugin registers states the version it was built against.
 *
 *   - The host accepts a plugin whose MAJOR equals the host's MAJOR and whose MINOR is lower
 *     than or equal to the host's MINOR. Any other plugin is refused at stage "abi" with a
 *     message naming both versions (a plugin built for a newer minor may use host functions
 *     this host does not have).
 *   - A MINOR release only appends: new members at the end of a struct, new capability ids,
 *     new operations, new host functions at the end of catalog_host_api. It never removes,
 *     reorders or retypes a member. Every struct starts with `struct_size`; a reader uses
 *     only the members that lie inside the size the writer declared and treats the rest as
 *     zero/NULL. So a plugin built against 1.0 keeps loading in every 1.x host.
 *   - A MAJOR release may change anything except what is marked FROZEN below: the name and
 *     signature of `catalog_plugin_register`, the first members of catalog_host_api
 *     (struct_size, abi_major, abi_minor, register_plugin, report_error) and the first members
 *     of catalog_plugin_descriptor (struct_size, abi_major, abi_minor). These never change, so
 *     any future host can still read which version a plugin was built for and refuse it with
 *     a precise message instead of crashing.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * OWNERSHIP AND LIFETIME
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - Pointers the host passes into a plugin call (requests, init parameters, strings) are
 *     BORROWED for the duration of that call only. A plugin that answers later must copy
 *     what it needs before the call returns.
 *   - Pointers the plugin passes to a host function (descriptor strings, capability lists,
 *     responses, log messages, error messages) are BORROWED for the duration of that host
 *     function call; the host copies what it keeps before returning. The plugin may free or
 *     reuse them afterwards.
 *   - The catalog_host_api table is owned by the host and stays valid until process exit.
 *   - A catalog_registrar is valid only during `catalog_plugin_register`.
 *   - A catalog_route_table is valid only during the `register_routes` call it is passed to.
 *   - A catalog_plugin_handle is owned by the host, handed to the plugin in init, and stays
 *     valid until process exit.
 *   - `descriptor.context` belongs to the plugin. The host passes it back unchanged to every
 *     plugin function and never frees it. The host never unloads a plugin image, so the
 *     context and the plugin's code must stay valid until process exit.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * THE QUERY LANGUAGE
 * ───────────────────────────────────────────────────────────────────────────────────────
 * List endpoints of the shipped catalogs accept `filterQuery` (see README, "Query language").
 * Its implementation lives in the Swift SDK (FilterQuery, ListQuery, CatalogEngine) and is
 * linked into each Swift plugin. It is not offered to C plugins in ABI 1.0: it is Swift code
 * that would need the Swift runtime inside a C plugin, and exposing it as host functions would
 * make every filter evaluation cross the boundary once per entity. A C plugin implements the
 * documented grammar itself, or is written against the Swift SDK. A later minor version may
 * add host functions that compile a query once and evaluate it against JSON entities.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * CALLS AND THREADS
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - `catalog_plugin_register`, `init`, `register_routes`, `start` and `stop` are called on
 *     a host thread that is not an event loop, one at a time per plugin, in that order.
 *   - `init`, `start`, `stop`, `handle_request` and `invoke` are ASYNCHRONOUS: each gets a
 *     catalog_call_id and the plugin finishes it by calling host->complete (lifecycle calls)
 *     or host->respond (requests and capability operations) exactly once, from any thread,
 *     before or after the plugin function returns. A later second answer for the same call
 *     is ignored. A call that is not answered within its deadline is abandoned by the host
 *     (a request then answers 504); a late answer is ignored.
 *   - `handle_request`, `invoke` and `healthy` may be called concurrently from several
 *     threads. They must not block: answer from another thread if the work is slow. (The host
 *     calls them on threads that belong to the plugin, never on an event loop, so a plugin that
 *     blocks anyway holds up only its own calls; it asks `healthy` at most about once a second
 *     on a thread of its own and counts a `healthy` that has not returned after 2 s as false.)
 *   - A catalog_call_id is an unpredictable 64-bit number, never 0. Answer only the ids you were
 *     given: an answer for any other id is dropped.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * WHAT THE HOST ENFORCES ON RESPONSES
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - The status must be 200–599; anything else answers 502. A 204 or 304 is sent without
 *     its body.
 *   - The host frames every response itself: response headers named Content-Length,
 *     Transfer-Encoding, Connection, Keep-Alive, Proxy-Connection, Upgrade, TE, Trailer,
 *     Content-Type (use catalog_response.content_type), Date and Server are dropped, as are
 *     headers whose name is not a valid HTTP token.
 *   - A body larger than the host's limit (32 MiB by default, --max-response-bytes) is not
 *     copied; the request answers 502 saying so.
 *   - A plugin declares at most 1024 routes of at most 1024 bytes each. Its version starts
 *     with a letter or digit; its base path has no empty, "." or ".." segment, and
 *     "/api/{name}_catalog" with everything under it belongs to the plugin named {name}.
 *     It may not cover or lie under the host's own paths: /api/plugins, /healthz, /livez,
 *     /readyz, /metrics, /openapi.yaml, /console.
 *   - Path and query parameters never contain a NUL byte (the host answers 400 first).
 *   - A plugin name is 1–64 characters of a-z, 0-9, '_' or '-'; a name two files register is
 *     served by neither. Routes under /management are refused (the host's management API).
 *   - A request body is at most 4 MiB (413 before the plugin is called); at most
 *     maxConcurrentRequests (64 by default, `plugins:` settings) requests of one plugin are in
 *     flight, more answer 503 without reaching it.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * PROCESS MODEL AND ORDER OF CALLS
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - With probing on (the default), a file is first loaded in a child process of the server
 *     (`catalog-server plugins probe`): catalog_plugin_register, init, register_routes and
 *     start run there with the real configuration, then the child exits without calling stop.
 *     Only a file whose probe succeeded is loaded into the server, where the same calls run
 *     again; with `isolation: process` they run in a worker process instead, and again each
 *     time that worker is restarted. Side effects of register, init and start must therefore
 *     be safe to repeat.
 *   - In one process: catalog_plugin_register → init → register_routes → start → requests,
 *     operations and healthy → stop at shutdown. Requests arrive only after start completed
 *     with CATALOG_STATUS_OK. A failed init or start takes the plugin out of service (its base
 *     path answers 503 with the reason). stop is called at shutdown for every plugin whose init
 *     completed, so stop may come without start. (How healthy is asked and how call ids look:
 *     CALLS AND THREADS above.)
 */
#ifndef CATALOG_PLUGIN_H
#define CATALOG_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The ABI version this header describes. */
#define CATALOG_ABI_MAJOR 1
#define CATALOG_ABI_MINOR 3

/** The name of the one symbol a plugin exports. */
#define CATALOG_PLUGIN_REGISTER_SYMBOL "catalog_plugin_register"

/** Result of a synchronous ABI function, or the outcome of a lifecycle call. */
typedef int32_t catalog_status;
#define CATALOG_STATUS_OK 0
#define CATALOG_STATUS_ERROR 1
/** The host and plugin ABI versions are incompatible. */
#define CATALOG_STATUS_ABI_MISMATCH 2
/** An argument was NULL, empty or malformed. */
#define CATALOG_STATUS_INVALID_ARGUMENT 3

/** Log levels for catalog_host_api.log. */
typedef int32_t catalog_log_level;
#define CATALOG_LOG_TRACE 0
#define CATALOG_LOG_DEBUG 1
#define CATALOG_LOG_INFO 2
#define CATALOG_LOG_NOTICE 3
#define CATALOG_LOG_WARNING 4
#define CATALOG_LOG_ERROR 5
#define CATALOG_LOG_CRITICAL 6

/** Opaque host objects; see OWNERSHIP AND LIFETIME above. */
typedef struct catalog_registrar catalog_registrar;
typedef struct catalog_route_table catalog_route_table;
typedef struct catalog_plugin_handle catalog_plugin_handle;

/** Identifies one pending asynchronous call into a plugin. */
typedef uint64_t catalog_call_id;

/** A borrowed key/value pair of NUL-terminated UTF-8 strings. */
typedef struct catalog_pair {
    const char *key;
    const char *value;
} catalog_pair;

/**
 * One HTTP request routed to a plugin. Every pointer is borrowed for the duration of
 * handle_request. Strings are NUL-terminated UTF-8.
 */
typedef struct catalog_request {
    uint32_t struct_size;
    /** The route_id the plugin gave to add_route for the matched route. */
    uint32_t route_id;
    /** "GET", "POST", … */
    const char *method;
    /** The full request path as received (percent-encoded), without the query. */
    const char *path;
    /** The raw query string without '?', "" when there is none. */
    const char *query;
    /** Path parameters of the matched pattern, percent-decoded. */
    const catalog_pair *path_params;
    size_t path_param_count;
    /** Query parameters in request order, percent-decoded; a repeated key appears repeatedly. */
    const catalog_pair *query_params;
    size_t query_param_count;
    /** Request headers, names in lower case. */
    const catalog_pair *headers;
    size_t header_count;
    /** The request body; NULL when empty. */
    const uint8_t *body;
    size_t body_length;
} catalog_request;

/** A response, borrowed by the host for the duration of host->respond. */
typedef struct catalog_response {
    uint32_t struct_size;
    /** HTTP status code (100–599). */
    uint16_t status;
    /** Content type; NULL means "application/json". */
    const char *content_type;
    /** Extra response headers. */
    const catalog_pair *headers;
    size_t header_count;
    const uint8_t *body;
    size_t body_length;
} catalog_response;

/** What the host passes to init. Borrowed for the duration of the init call. */
typedef struct catalog_init_params {
    uint32_t struct_size;
    /** The plugin's handle for host services such as log. Valid until process exit. */
    catalog_plugin_handle *handle;
    /**
     * The plugin's configuration section as a JSON object:
     * {"sources":[…],"labels":[…],"namedQueries":{…},"settings":{…}} (missing keys mean empty;
     * "settings" holds the plugin's own settings as written, and older hosts send none). Each source
     * carries "origin": the configuration file that defined it last. String properties whose
     * name ends in "Path" have been resolved to absolute paths against the directory of the
     * file that set them.
     */
    const char *config_json;
    /** The base path under which the plugin's routes are mounted, e.g. "/api/mcp_catalog/v1alpha1". */
    const char *base_path;
    /** The configuration files, in merge order. */
    const char *const *config_paths;
    size_t config_path_count;
} catalog_init_params;

/*
 * OPTIONAL CAPABILITIES
 *
 * A plugin lists the capability ids it offers in descriptor.capabilities and serves their
 * operations through descriptor.invoke. Input and output are JSON; the plugin answers with
 * host->respond, using HTTP status codes (200 success, 400 bad input, 404 unknown, 409
 * conflict, 422 invalid, 500 failure) and a JSON body. New capabilities and operations are
 * added by minor versions without changing any struct.
 *
 * capability id                operation                 input        output
 * "capabilities.v2"            "capabilities.v2.get"     {}           the capabilities V2 document
 * "status"                     "status.get"              {}           {"enabled","initialized","serving","lastError"}
 * "assets"                     "assets.get"              {"name"}     the entity in the universal asset envelope;
 *                                                                     404 for an unknown name
 * "config" (1.1)               "config.apply"            the section  adopt a changed configuration section (same
 *                                                        shape as init's config_json) without a restart;
 *                                                        build the new state, then swap it in at once
 * "sources" (1.2)              "sources.list"            {}           {"sources":[SourceInfo…]}
 *                              "sources.validate"        {"source":{…}}
 *                                                                     {"valid":bool,"errors":[{"field","message"}]}
 * "refresh" (1.2)              "refresh.run"             {} or {"sourceId":"…"}
 *                                                                     {"sourceId"?,"entitiesLoaded","entitiesRemoved",
 *                                                                      "duration","error"?}; 404 for an unknown id
 * "diagnostics" (1.2)          "diagnostics.get"         {}           {"sources":[SourceInfo…],"lastRefresh","errors":
 *                                                                      [{"sourceId","message"}]}
 * "actions"                    reserved for plugin-defined actions; no operation is defined yet
 *
 * SourceInfo is {"id","name","type","enabled","labels","properties","status":{"state":
 * "available|partially-available|error|disabled|loading","entityCount","lastRefreshTime",
 * "lastRefreshStatus","error"?}}.
 *
 * The host builds the management API from these (see docs/management.md): it stores source
 * changes itself and hands a plugin that offers "sources" its new section through "config"
 * (so "sources" is used only together with "config"); it rate-limits "refresh"; it implements
 * the builtin asset actions tag/annotate/deprecate for every plugin that offers "assets",
 * keeps their results in its own store and adds them to every list, get and asset read.
 */
#define CATALOG_CAPABILITY_CAPABILITIES_V2 "capabilities.v2"
#define CATALOG_CAPABILITY_STATUS "status"
#define CATALOG_CAPABILITY_SOURCES "sources"
#define CATALOG_CAPABILITY_REFRESH "refresh"
#define CATALOG_CAPABILITY_DIAGNOSTICS "diagnostics"
/* Reserved: ABI 1.x hosts mount no routes for "actions" (entity actions are the host's builtin
 * ones, for plugins that offer "assets"); offering it changes nothing. Kept so that plugins
 * built against 1.0 still compile. */
#define CATALOG_CAPABILITY_ACTIONS "actions"
#define CATALOG_CAPABILITY_ASSETS "assets"
#define CATALOG_CAPABILITY_CONFIG "config"

#define CATALOG_OPERATION_CAPABILITIES_V2_GET "capabilities.v2.get"
#define CATALOG_OPERATION_STATUS_GET "status.get"
#define CATALOG_OPERATION_ASSETS_GET "assets.get"
#define CATALOG_OPERATION_CONFIG_APPLY "config.apply"
#define CATALOG_OPERATION_SOURCES_LIST "sources.list"
#define CATALOG_OPERATION_SOURCES_VALIDATE "sources.validate"
#define CATALOG_OPERATION_REFRESH_RUN "refresh.run"
#define CATALOG_OPERATION_DIAGNOSTICS_GET "diagnostics.get"

/**
 * One catalog plugin. The plugin fills it and passes it to host->register_plugin, which
 * copies every string and the capability list before it returns.
 */
typedef struct catalog_plugin_descriptor {
    /* FROZEN: these three members keep their place in every major version. */
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;

    /** Unique plugin name, [a-z0-9_-]+, e.g. "mcp". Required. */
    const char *name;
    /** Plugin API version, e.g. "v1alpha1". Required. */
    const char *version;
    /** One-line description. May be NULL. */
    const char *description;
    /** Base path for the plugin's routes; NULL means "/api/{name}_catalog/{version}". */
    const char *base_path;
    /** Key of the plugin's section under `catalogs:` in sources.yaml; NULL means `name`. */
    const char *source_key;

    /** Plugin-owned context passed back to every function below. */
    void *context;

    /** Configure the plugin. Complete `call` with host->complete. Required. */
    void (*init)(void *context, const catalog_init_params *params, catalog_call_id call);
    /** Declare routes with host->add_route. Patterns are relative to the base path. May be NULL. */
    catalog_status (*register_routes)(void *context, catalog_route_table *table);
    /** Start background work. Complete `call` with host->complete. May be NULL. */
    void (*start)(void *context, catalog_call_id call);
    /** Stop background work before shutdown. Complete `call` with host->complete. May be NULL. */
    void (*stop)(void *context, catalog_call_id call);
    /** Cheap health check; must not block. NULL means always healthy. */
    bool (*healthy)(void *context);
    /** Answer one request to a declared route with host->respond. Required when routes exist. */
    void (*handle_request)(void *context, const catalog_request *request, catalog_call_id call);

    /** NULL-terminated list of capability ids the plugin offers; NULL means none. */
    const char *const *capabilities;
    /**
     * Run one capability operation. `input_json` is a JSON document (borrowed for the
     * call). Answer with host->respond. Required when capabilities are listed.
     */
    void (*invoke)(void *context, const char *operation, const uint8_t *input_json, size_t input_length,
                   catalog_call_id call);

    /* 1.1 */
    /** What built the plugin, e.g. "CatalogPluginSDK 0.1.0" or "C". May be NULL. */
    const char *sdk_version;
    /** The oldest catalog-server version the plugin works with, "MAJOR.MINOR.PATCH"; the host
     *  refuses the plugin (stage "abi") when it is older. NULL means any. */
    const char *min_host_version;
} catalog_plugin_descriptor;

/** Functions the host offers to plugins. Owned by the host; valid until process exit. */
typedef struct catalog_host_api {
    /* FROZEN: these five members keep their place in every major version. */
    uint32_t struct_size;
    uint16_t abi_major;
    uint16_t abi_minor;
    /**
     * Register one catalog plugin. Call only during catalog_plugin_register, once per plugin
     * the image provides. Returns CATALOG_STATUS_OK, or CATALOG_STATUS_ABI_MISMATCH /
     * CATALOG_STATUS_INVALID_ARGUMENT when the host refuses the descriptor (the reason is
     * recorded by the host).
     */
    catalog_status (*register_plugin)(catalog_registrar *registrar, const catalog_plugin_descriptor *descriptor);
    /** Explain why catalog_plugin_register is about to return an error. */
    void (*report_error)(catalog_registrar *registrar, const char *message);

    /* 1.0 */
    /** Log a message through the host's logger, tagged with the plugin's name. `handle` may be NULL. */
    void (*log)(catalog_plugin_handle *handle, catalog_log_level level, const char *message);
    /** Declare one route: method ("GET", "POST", "PUT", "PATCH", "DELETE") and a pattern such
     *  as "/items/{name}"; a last segment "{name...}" captures the rest of the path, slashes
     *  included. `route_id` comes back in catalog_request.route_id. */
    catalog_status (*add_route)(catalog_route_table *table, const char *method, const char *pattern, uint32_t route_id);
    /** Finish a lifecycle call (init, start, stop). `error_message` is required when
     *  `status` is not CATALOG_STATUS_OK, and ignored otherwise. */
    void (*complete)(catalog_call_id call, catalog_status status, const char *error_message);
    /** Finish a request or a capability operation with a response. */
    void (*respond)(catalog_call_id call, const catalog_response *response);

    /* 1.3 — present when host->abi_minor >= 3 (equivalently, when struct_size covers it);
     * a plugin that must also load in older hosts checks before calling it. */
    /**
     * Log a message about one call in flight — a request (handle_request) or an operation
     * (invoke) — through the host's logger: like `log`, and the host adds that call's request
     * id to the line (`request_id`: the X-Request-Id the client sent or the host made, the one
     * in the request's headers), so the line can be found beside the request's access line.
     * `call` is the id the host passed in; log before answering it: for a call that is no
     * longer in flight (answered, past its deadline) or was never given, the line is logged
     * without a request id. Any thread. `handle` may be NULL; `message` is borrowed for this
     * call.
     */
    void (*log_call)(catalog_plugin_handle *handle, catalog_call_id call, catalog_log_level level, const char *message);
} catalog_host_api;

/**
 * The one symbol a plugin exports. The host calls it once, right after loading the image;
 * the plugin calls host->register_plugin for each catalog it provides and returns
 * CATALOG_STATUS_OK, or calls host->report_error and returns another status. FROZEN.
 */
typedef catalog_status (*catalog_plugin_register_fn)(const catalog_host_api *host, catalog_registrar *registrar);

catalog_status catalog_plugin_register(const catalog_host_api *host, catalog_registrar *registrar);

#ifdef __cplusplus
}
#endif

#endif /* CATALOG_PLUGIN_H */
