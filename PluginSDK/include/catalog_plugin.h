/*
 * catalog_plugin.h — the catalog-server plugin ABI.
 *
 * This header is the only contract between the catalog-server host and a catalog plugin.
 * A plugin is a shared object (.so) that exports one C symbol, `catalog_plugin_register`.
 * Only C types cross the boundary; a plugin may be written in any language with a C ABI.
 *
 * Every function pointer and every struct below carries its contract: who owns each pointer
 * and for how long, on which thread a call comes or may be made, what may be NULL, when in
 * the lifecycle it happens, and what the host does with a bad value. The sections here say
 * what holds for all of them.
 *
 * A C plugin in brief (Sources/Catalogs/HelloC/hello_plugin.c is a complete one):
 *
 *     #include "catalog_plugin.h"
 *     static const catalog_host_api *host;
 *     CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *api,
 *                                                                  catalog_registrar *registrar) {
 *         host = api;
 *         catalog_plugin_descriptor d = {
 *             .struct_size = sizeof d, .abi_major = CATALOG_ABI_MAJOR,
 *             .abi_minor = CATALOG_TARGET_ABI_MINOR,
 *             .name = "mine", .version = "v1", .init = my_init, ...
 *         };
 *         return host->register_plugin(registrar, &d);
 *     }
 *
 *     cc -std=c11 -fPIC -shared -fvisibility=hidden -I PluginSDK/include mine.c -o mine.so
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * VERSIONING AND COMPATIBILITY RULE
 * ───────────────────────────────────────────────────────────────────────────────────────
 * The ABI version is MAJOR.MINOR (CATALOG_ABI_MAJOR, CATALOG_ABI_MINOR: the newest version
 * this header describes, and the version a host built from it implements). Every descriptor
 * a plugin registers states the version it was built for (abi_major, abi_minor).
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
 * Which minor added what (members not listed here are 1.0):
 *
 *   minor  struct / list                 added
 *   1.1    catalog_plugin_descriptor     sdk_version, min_host_version
 *          capabilities                  "config" ("config.apply")
 *   1.2    capabilities                  the operations of "sources", "refresh", "diagnostics"
 *   1.3    catalog_host_api              log_call
 *          catalog_plugin_descriptor     swift_version
 *
 *   catalog_request, catalog_response, catalog_init_params and catalog_pair are unchanged
 *   since 1.0.
 *
 * Who writes which struct — the rule for `struct_size`:
 *
 *   - The PLUGIN allocates and fills catalog_plugin_descriptor (for host->register_plugin)
 *     and catalog_response (for host->respond), and sets their `struct_size`. The host reads
 *     each by the `struct_size` the plugin wrote, never by abi_minor: a member that lies
 *     (wholly) outside it reads as zero/NULL, and bytes beyond the host's own sizeof are
 *     ignored. A plugin therefore sets `struct_size = sizeof` the struct as it was compiled —
 *     and that sizeof must be the size of the minor it declares (see the next item).
 *     (catalog_pair, which a plugin also writes for response headers, has no struct_size; its
 *     layout is FROZEN for the major.)
 *   - The HOST allocates and fills catalog_host_api, catalog_init_params and catalog_request
 *     and sets their `struct_size` to its own sizeof. These structs declare every member in
 *     this header whatever minor a plugin targets: a plugin reads a member added in minor N
 *     only when the host is at least 1.N — `host->abi_minor >= N`, or equivalently
 *     `CATALOG_STRUCT_HAS(pointer, type, member)` — and otherwise treats it as absent.
 *
 * TARGETING AN OLDER MINOR — CATALOG_TARGET_ABI_MINOR:
 *
 *   A plugin that must also load in older hosts picks the oldest minor it needs and defines
 *   it before including this header:
 *
 *       #define CATALOG_TARGET_ABI_MINOR 0      // this plugin works with every 1.x host
 *       #include "catalog_plugin.h"
 *
 *   It defaults to CATALOG_ABI_MINOR; a value above CATALOG_ABI_MINOR (or below 0) is an
 *   #error. Members appended in minor N to a struct the PLUGIN writes are declared only when
 *   CATALOG_TARGET_ABI_MINOR >= N, so `sizeof(catalog_plugin_descriptor)` is the 1.N size, a
 *   use of a newer member (`.sdk_version` when targeting 1.0) does not compile, and
 *
 *       .struct_size = sizeof d, .abi_major = CATALOG_ABI_MAJOR,
 *       .abi_minor = CATALOG_TARGET_ABI_MINOR,
 *
 *   declares a consistent version and size. Host-written structs keep all their members (see
 *   above); capability and operation macros are always defined. The host does not compare
 *   the capabilities a plugin lists with the minor it declares: offering "config" (1.1) from a
 *   plugin that declares 1.0 works in a host that implements it. Building against a newer
 *   header with the default target makes the plugin need a host of this header's minor.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * OWNERSHIP AND LIFETIME
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - Pointers the host passes into a plugin call (requests, init parameters, strings,
 *     operation inputs) are BORROWED for the duration of that call only: the host frees them
 *     when the plugin function returns, even if the call is answered later. A plugin that
 *     answers later must copy what it needs before the call returns.
 *   - Pointers the plugin passes to a host function (descriptor strings, capability lists,
 *     responses, log messages, error messages) are BORROWED for the duration of that host
 *     function call; the host copies what it keeps before returning. The plugin may free or
 *     reuse them afterwards.
 *   - Strings in both directions are NUL-terminated UTF-8, except where a length is given
 *     (bodies, operation inputs). The host repairs invalid UTF-8 in a plugin's strings
 *     (replacement characters) instead of refusing them.
 *   - The catalog_host_api table is owned by the host and stays valid until process exit.
 *   - A catalog_registrar is valid only during `catalog_plugin_register`. (The host never
 *     frees it: a register_plugin through a kept pointer returns
 *     CATALOG_STATUS_INVALID_ARGUMENT and is logged, a later report_error is ignored.)
 *   - A catalog_route_table is valid only during the `register_routes` call it is passed to.
 *     (Likewise never freed: a later add_route returns CATALOG_STATUS_INVALID_ARGUMENT.)
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
 * linked into each Swift plugin. It is not offered to C plugins (ABI 1.0 to 1.3): it is Swift
 * code that would need the Swift runtime inside a C plugin, and exposing it as host functions
 * would make every filter evaluation cross the boundary once per entity. A C plugin implements
 * the documented grammar itself, or is written against the Swift SDK. A later minor version may
 * add host functions that compile a query once and evaluate it against JSON entities.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * CALLS AND THREADS
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - `catalog_plugin_register`, `init`, `register_routes`, `start` and `stop` are called on
 *     a host thread that is not an event loop, one at a time per plugin, in that order. Each
 *     may come on a different thread (the host starts a thread for each of these calls).
 *   - `init`, `start`, `stop`, `handle_request` and `invoke` are ASYNCHRONOUS: each gets a
 *     catalog_call_id and the plugin finishes it by calling host->complete (lifecycle calls)
 *     or host->respond (requests and capability operations) exactly once, from any thread,
 *     before or after the plugin function returns. A later second answer for the same call
 *     is ignored (and logged). A call that is not answered within its deadline is abandoned
 *     by the host (a request then answers 504); a late answer is ignored.
 *   - `handle_request`, `invoke` and `healthy` may be called concurrently from several
 *     threads. They must not block: answer from another thread if the work is slow. (The host
 *     calls them on threads that belong to the plugin, never on an event loop, so a plugin that
 *     blocks anyway holds up only its own calls; it asks `healthy` at most about once a second
 *     on a thread of its own and counts a `healthy` that has not returned after 2 s as false.)
 *     `handle_request` and `invoke` share the plugin's own threads, at most
 *     maxConcurrentRequests of them (64 by default); a call beyond that waits for a free one.
 *   - Every host function may be called from any thread, including from inside the plugin
 *     function whose call it answers.
 *   - A catalog_call_id is an unpredictable 64-bit number, never 0. Answer only the ids you were
 *     given: an answer for any other id is dropped.
 *   - Deadlines (defaults; `plugins: NAME: deadlines:` in sources.yaml changes them per
 *     plugin): init 60 s, start 60 s, stop 10 s, handle_request 30 s, invoke 30 s. The host
 *     waits for "config.apply" as long as for init (in a worker process, at most the invoke
 *     deadline), and for a "sources.list" asked by a /metrics scrape 2 s.
 *
 * ───────────────────────────────────────────────────────────────────────────────────────
 * WHAT THE HOST ENFORCES ON RESPONSES
 * ───────────────────────────────────────────────────────────────────────────────────────
 *   - The status must be 200–599; anything else answers 502. A 204 or 304 is sent without
 *     its body (and without a Content-Type).
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
 *     start run there with the real configuration (and capabilities.v2.get and healthy are
 *     asked), then the child exits without calling stop. Only a file whose probe succeeded
 *     is loaded into the server, where the same calls run again; with `isolation: process`
 *     they run in a worker process instead, and again each time that worker is restarted.
 *     Side effects of register, init and start must therefore be safe to repeat.
 *   - In one process: catalog_plugin_register → init → register_routes → start →
 *     capabilities.v2.get (when offered) → requests, operations and healthy → stop at
 *     shutdown. The plugins one file registers are brought up one after another. Requests
 *     arrive only after start completed with CATALOG_STATUS_OK. A failed init, route
 *     declaration or start takes the plugin out of service (its base path answers 503 with
 *     the reason). stop is called at shutdown for every plugin whose init completed, so stop
 *     may come without start; a plugin whose init failed or timed out gets no stop, and a
 *     process that crashes or is killed calls none.
 *   - "config.apply" is the exception to "operations after start": it is invoked for every
 *     plugin whose init completed, so it may arrive before or during start, after a failed
 *     start, and concurrently with requests.
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

/**
 * The minor version a plugin is built for; see "TARGETING AN OLDER MINOR" above. Define it
 * before including this header; it defaults to CATALOG_ABI_MINOR. Members a plugin writes
 * that were appended after it are not declared, so sizeof matches it. Declare it in the
 * descriptor: `.abi_minor = CATALOG_TARGET_ABI_MINOR`.
 */
#ifndef CATALOG_TARGET_ABI_MINOR
#define CATALOG_TARGET_ABI_MINOR CATALOG_ABI_MINOR
#endif
#if CATALOG_TARGET_ABI_MINOR > CATALOG_ABI_MINOR
#error "CATALOG_TARGET_ABI_MINOR is newer than this header's CATALOG_ABI_MINOR"
#endif
#if CATALOG_TARGET_ABI_MINOR < 0
#error "CATALOG_TARGET_ABI_MINOR must be 0 or more"
#endif

/**
 * Marks `catalog_plugin_register` as exported, so a plugin can be built with
 * -fvisibility=hidden and export nothing else:
 *
 *     CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *host,
 *                                                                  catalog_registrar *registrar) { … }
 *
 * On GCC and Clang it is __attribute__((visibility("default"))); elsewhere it is empty. Define
 * it before including this header to override it. (C linkage for C++ comes from the
 * declaration below, which lies inside extern "C".)
 */
#ifndef CATALOG_PLUGIN_EXPORT
#if defined(__GNUC__) || defined(__clang__)
#define CATALOG_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define CATALOG_PLUGIN_EXPORT
#endif
#endif

/**
 * Whether the host-written struct at `pointer` (of type `type`: catalog_host_api,
 * catalog_init_params, catalog_request) contains `member`, by the `struct_size` the host
 * declared: how a plugin built against this header tells whether an older host has a member,
 * e.g. `CATALOG_STRUCT_HAS(host, catalog_host_api, log_call)`. Same as comparing abi_minor
 * with the member's minor (VERSIONING above).
 */
#define CATALOG_STRUCT_HAS(pointer, type, member) \
    ((size_t)(pointer)->struct_size >= offsetof(type, member) + sizeof(((const type *)0)->member))

/** The name of the one symbol a plugin exports. */
#define CATALOG_PLUGIN_REGISTER_SYMBOL "catalog_plugin_register"

/**
 * Result of a synchronous ABI function, or the outcome of a lifecycle call (host->complete).
 * The host treats every value other than CATALOG_STATUS_OK as failure; the distinct values
 * only inform.
 */
typedef int32_t catalog_status;
#define CATALOG_STATUS_OK 0
#define CATALOG_STATUS_ERROR 1
/** The host and plugin ABI versions are incompatible. */
#define CATALOG_STATUS_ABI_MISMATCH 2
/** An argument was NULL, empty or malformed. */
#define CATALOG_STATUS_INVALID_ARGUMENT 3

/** Log levels for catalog_host_api.log and log_call. Any other value logs as INFO. */
typedef int32_t catalog_log_level;
#define CATALOG_LOG_TRACE 0
#define CATALOG_LOG_DEBUG 1
#define CATALOG_LOG_INFO 2
#define CATALOG_LOG_NOTICE 3
#define CATALOG_LOG_WARNING 4
#define CATALOG_LOG_ERROR 5
#define CATALOG_LOG_CRITICAL 6

/**
 * Opaque host objects; see OWNERSHIP AND LIFETIME above. The plugin never dereferences or
 * frees them; it only passes them back to the host function that takes them.
 *   catalog_registrar      passed to catalog_plugin_register, for register_plugin/report_error.
 *   catalog_route_table    passed to register_routes, for add_route.
 *   catalog_plugin_handle  in catalog_init_params, for log/log_call; valid until process exit.
 */
typedef struct catalog_registrar catalog_registrar;
typedef struct catalog_route_table catalog_route_table;
typedef struct catalog_plugin_handle catalog_plugin_handle;

/**
 * Identifies one pending asynchronous call into a plugin (init, start, stop, handle_request,
 * invoke). Unpredictable, never 0, unique among the calls in flight. Valid from the moment the
 * plugin function is entered until the plugin answers it or its deadline passes; the plugin
 * may keep it (it is a number, not a pointer) to answer from another thread.
 */
typedef uint64_t catalog_call_id;

/**
 * A key/value pair of NUL-terminated UTF-8 strings. FROZEN layout for the major (no
 * struct_size). Written by the host in catalog_request (path and query parameters, headers;
 * neither pointer is NULL; borrowed for handle_request) and by the plugin in
 * catalog_response.headers (borrowed by the host for host->respond: a pair whose key is NULL
 * is skipped, a NULL value is sent as "").
 */
typedef struct catalog_pair {
    const char *key;
    const char *value;
} catalog_pair;

/**
 * One HTTP request routed to a plugin's handle_request. HOST-WRITTEN: allocated and filled by
 * the host, `struct_size` = the host's sizeof; never NULL. The struct and every pointer in it
 * are BORROWED for the duration of handle_request only — freed when it returns, even when the
 * call is answered later — so copy what an answer from another thread needs. Strings are
 * NUL-terminated UTF-8 and never NULL; arrays are NULL exactly when their count is 0.
 */
typedef struct catalog_request {
    /** The host's sizeof(catalog_request). No member has been appended since 1.0. */
    uint32_t struct_size;
    /** The route_id the plugin gave to add_route for the matched route (not checked for uniqueness). */
    uint32_t route_id;
    /**
     * The matched route's method in upper case: "GET", "POST", "PUT", "PATCH" or "DELETE". A
     * HEAD request reaches a GET route as "GET"; the host drops the body of the answer.
     */
    const char *method;
    /** The full request path as received (percent-encoded, base path included), without the query. */
    const char *path;
    /** The raw query string without '?' (still percent-encoded), "" when there is none. */
    const char *query;
    /**
     * Path parameters of the matched pattern, in pattern order (a trailing "{name...}" last,
     * its segments joined with '/'), percent-decoded. Valid UTF-8 without NUL: a malformed
     * escape or a %00 answers 400 before the plugin is called.
     */
    const catalog_pair *path_params;
    size_t path_param_count;
    /**
     * Query parameters in request order, decoded as form values ('+' is a space, %XX
     * decoded); a repeated key appears repeatedly, a key without '=' has the value "", empty
     * pieces ("&&") are skipped. Same guarantees as path parameters.
     */
    const catalog_pair *query_params;
    size_t query_param_count;
    /**
     * Request headers in the order received, names in lower case, values as received (a
     * repeated header appears repeatedly). The last one is "x-request-id": the request id the
     * host settled (the client's when usable, else a new one); a client's own x-request-id
     * header is not passed on.
     */
    const catalog_pair *headers;
    size_t header_count;
    /** The request body, at most 4 MiB, not NUL-terminated; NULL (with body_length 0) when empty. */
    const uint8_t *body;
    size_t body_length;
} catalog_request;

/**
 * A response, the answer to handle_request or invoke. PLUGIN-WRITTEN: allocated and filled by
 * the plugin (the stack is fine) and passed to host->respond, which copies what it keeps
 * before returning; the plugin may free it and everything it points to afterwards.
 *
 * The host reads it by `struct_size` (VERSIONING above): set `.struct_size = sizeof` the
 * response. A member outside struct_size reads as zero — a struct_size of 0 reads status 0,
 * which answers 502. No member has been appended since 1.0.
 *
 * For an invoke answer only `status` and `body` matter (content_type and headers are
 * ignored); see OPTIONAL CAPABILITIES for what each status means there.
 */
typedef struct catalog_response {
    uint32_t struct_size;
    /**
     * HTTP status code. A request answered outside 200–599 (a 1xx included) becomes a 502
     * naming the status; a 204 or 304 is sent without body and Content-Type.
     */
    uint16_t status;
    /** Content type; NULL means "application/json". Copied as given. */
    const char *content_type;
    /**
     * Extra response headers, `header_count` pairs; NULL means none. Headers that shape the
     * framing (WHAT THE HOST ENFORCES ON RESPONSES) and names that are not HTTP tokens are
     * dropped; bytes not allowed in a header value are sent as spaces.
     */
    const catalog_pair *headers;
    size_t header_count;
    /**
     * The body, `body_length` bytes (no terminator needed); NULL means an empty body. When
     * body_length is over the response limit (32 MiB by default) the host copies nothing and
     * answers 502, whatever `body` is.
     */
    const uint8_t *body;
    size_t body_length;
} catalog_response;

/**
 * What the host passes to init. HOST-WRITTEN (`struct_size` = the host's sizeof), never NULL.
 * The struct and its strings are BORROWED for the duration of the init call only; copy what
 * you keep. No member has been appended since 1.0.
 */
typedef struct catalog_init_params {
    uint32_t struct_size;
    /** The plugin's handle for host services such as log. Never NULL. Valid until process exit. */
    catalog_plugin_handle *handle;
    /**
     * The plugin's configuration section as a JSON object:
     * {"sources":[…],"labels":[…],"namedQueries":{…},"settings":{…}} (missing keys mean empty;
     * "settings" holds the plugin's own settings as written, and older hosts send none). Each source
     * carries "origin": the configuration file that defined it last. String properties whose
     * name ends in "Path" have been resolved to absolute paths against the directory of the
     * file that set them. The section is the one under `catalogs:` named by the descriptor's
     * source_key (else its name); a plugin without a section gets empty ones. Never NULL.
     */
    const char *config_json;
    /** The base path under which the plugin's routes are mounted, e.g. "/api/mcp_catalog/v1alpha1". Never NULL. */
    const char *base_path;
    /** The configuration files, in merge order; NULL exactly when config_path_count is 0. Not NULL-terminated. */
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
 * added by minor versions without changing any struct. The host invokes only operations of
 * capabilities the plugin listed; unknown capability ids in the list are kept (they show in
 * /api/plugins) and otherwise ignored.
 *
 * capability id                operation                 input        output
 * "capabilities.v2"            "capabilities.v2.get"     {}           the capabilities V2 document
 *                                                                     (docs/capabilities-v2.md)
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
 * When the host invokes them, and what it makes of the answer:
 *   "capabilities.v2.get"  once per process, after start completed OK and before the first
 *                          request. Only a 200 with a JSON body counts; otherwise the plugin
 *                          serves without a document (logged). The host keeps the document
 *                          for the life of the process and states its own members in it.
 *   "status.get"           not invoked by this host (it reports plugin status itself).
 *   "assets.get"           for GET {base}/management/entities/{name}, and before each entity
 *                          action (a non-2xx answer refuses the action).
 *   "config.apply"         at a reconcile (interval, SIGHUP, a management change) when the
 *                          plugin's section or one of its data files changed. Only 200 counts
 *                          as adopted; anything else is logged and the host goes on.
 *   "sources.list", "sources.validate", "refresh.run", "diagnostics.get"
 *                          for the management routes under {base}/management (only while the
 *                          plugin serves); "sources.list" also at every /metrics scrape.
 *   For the management routes a 2xx answer must have a JSON body (else 502); a 400–599
 *   answer keeps its status, with the body's "error" string as the message; any other status
 *   becomes 502.
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
 * One catalog plugin. PLUGIN-WRITTEN: the plugin fills it (the stack is fine) and passes it to
 * host->register_plugin during catalog_plugin_register. register_plugin copies every string
 * and the capability list, and keeps `context` and the function pointers, before it returns.
 *
 * Set `.struct_size = sizeof` the descriptor and `.abi_minor = CATALOG_TARGET_ABI_MINOR`. The
 * host reads it by struct_size, not by abi_minor: members outside struct_size read as
 * zero/NULL, and members inside it are read even if abi_minor predates them.
 *
 * The host checks, in this order, and refuses the descriptor (recorded as a load failure of
 * the file, with the reason) when:
 *   - struct_size < 8 (the frozen prefix): stage "register", CATALOG_STATUS_INVALID_ARGUMENT;
 *   - the version is not accepted (VERSIONING): stage "abi", CATALOG_STATUS_ABI_MISMATCH;
 *   - name, version, init, handle_request or invoke break the rules below: stage "register",
 *     CATALOG_STATUS_INVALID_ARGUMENT;
 *   - min_host_version is malformed (stage "abi", CATALOG_STATUS_INVALID_ARGUMENT) or newer
 *     than the server (stage "abi", CATALOG_STATUS_ABI_MISMATCH).
 * base_path is checked later, when the plugin is brought up (stage "init").
 */
typedef struct catalog_plugin_descriptor {
    /* FROZEN: these three members keep their place in every major version. */
    /** sizeof(catalog_plugin_descriptor) as compiled; at least 8. */
    uint32_t struct_size;
    /** CATALOG_ABI_MAJOR: must equal the host's major. */
    uint16_t abi_major;
    /** CATALOG_TARGET_ABI_MINOR: must not be newer than the host's minor. */
    uint16_t abi_minor;

    /**
     * Unique plugin name: 1–64 characters of a-z, 0-9, '_' or '-', e.g. "mcp". Required (NULL
     * or another name refuses the descriptor). A name two files register is served by neither.
     */
    const char *name;
    /**
     * Plugin API version, e.g. "v1alpha1": 1–64 ASCII letters, digits, '.', '_' or '-',
     * starting with a letter or digit. Required (NULL or another value refuses the descriptor).
     */
    const char *version;
    /** One-line description. May be NULL (read as ""). */
    const char *description;
    /**
     * Base path for the plugin's routes; NULL or "" means "/api/{name}_catalog/{version}".
     * Checked when the plugin is brought up (a refusal fails it at stage "init"): it starts
     * with '/', does not end with '/', has no empty, "." or ".." segment, uses only ASCII
     * letters, digits and / - _ . ~, neither covers nor lies under the host's own paths nor
     * another plugin's base path (the first claim stays), and lies under
     * "/api/{other}_catalog" only when {other} is this plugin's name.
     */
    const char *base_path;
    /** Key of the plugin's section under `catalogs:` in sources.yaml; NULL or "" means `name`. */
    const char *source_key;

    /** Plugin-owned context passed back unchanged to every function below. May be NULL. */
    void *context;

    /**
     * Configure the plugin. Required (NULL refuses the descriptor at stage "register").
     *
     * When:    once per process, after catalog_plugin_register returned CATALOG_STATUS_OK and
     *          the plugin's base path was claimed; first of the plugin's functions.
     * Thread:  a host thread (not an event loop) started for this call.
     * params:  never NULL; BORROWED for this call only (see catalog_init_params).
     * call:    finish it with host->complete exactly once, from any thread, within the init
     *          deadline (60 s by default).
     * Host:    CATALOG_STATUS_OK moves on to register_routes. Any other status, respond()
     *          instead of complete(), or no answer in time fails the plugin at stage "init"
     *          with the message (or "init failed with status N and gave no message", "init
     *          did not complete within …"); it then never gets register_routes, start or stop.
     */
    void (*init)(void *context, const catalog_init_params *params, catalog_call_id call);
    /**
     * Declare routes with host->add_route. Patterns are relative to the base path. May be NULL
     * (the plugin has no routes of its own; the host's management routes may still be mounted).
     *
     * When:    once per process, right after init completed OK.
     * Thread:  a host thread (not an event loop) started for this call. Synchronous.
     * table:   never NULL; valid only until this function returns.
     * Returns: CATALOG_STATUS_OK. Any other status, or any route add_route refused (even if
     *          the plugin ignored that refusal), fails the plugin at stage "init" naming the
     *          refused routes; it then gets no start (but gets stop at shutdown).
     */
    catalog_status (*register_routes)(void *context, catalog_route_table *table);
    /**
     * Start background work. May be NULL (the plugin starts at once).
     *
     * When:    once per process, after register_routes succeeded.
     * Thread:  a host thread (not an event loop) started for this call.
     * call:    finish it with host->complete, within the start deadline (60 s by default).
     * Host:    CATALOG_STATUS_OK makes the plugin serve (after capabilities.v2.get, when
     *          offered); anything else fails it at stage "start", as for init.
     */
    void (*start)(void *context, catalog_call_id call);
    /**
     * Stop background work before shutdown. May be NULL.
     *
     * When:    at server shutdown, after in-flight requests were drained, for every plugin whose
     *          init completed OK (also when start failed or never ran); in a worker process
     *          when the server stops the worker. Plugins are stopped one at a time. Not called
     *          in a probe child, nor by a process that crashes or is killed.
     * Thread:  a host thread (not an event loop) started for this call.
     * call:    finish it with host->complete within the stop deadline (10 s by default). A
     *          failure or a timeout is logged and shutdown goes on.
     */
    void (*stop)(void *context, catalog_call_id call);
    /**
     * Cheap health check; must not block. NULL means always healthy. Synchronous.
     *
     * When:    first right after the plugin starts serving, then whenever the host needs a
     *          verdict and the last answer is over 1 s old (/readyz, /api/plugins) — at most
     *          about once a second; in a probe child, once more before its report.
     * Thread:  a host thread started for the question, concurrently with requests.
     * Host:    caches the answer; false (or no answer within 2 s) makes the plugin unhealthy
     *          (/readyz degraded) until it answers true. With `isolation: process` the server
     *          judges the worker process instead and does not ask after start-up.
     */
    bool (*healthy)(void *context);
    /**
     * Answer one request to a declared route with host->respond. Required when
     * register_routes is not NULL (else the descriptor is refused at stage "register").
     *
     * When:    only after start completed OK; concurrently with other requests and operations.
     * Thread:  one of the plugin's own threads (never an event loop); must not block.
     * request: never NULL; BORROWED for this call only (see catalog_request).
     * call:    finish it with host->respond exactly once, from any thread, within the request
     *          deadline (30 s by default; then the client gets 504 and a late answer is
     *          ignored). complete() instead of respond() answers 502, a NULL response 502.
     */
    void (*handle_request)(void *context, const catalog_request *request, catalog_call_id call);

    /**
     * NULL-terminated list of capability ids the plugin offers; NULL means none. Copied by
     * register_plugin (strings and list). Entries after the 256th are ignored, empty strings
     * are skipped.
     */
    const char *const *capabilities;
    /**
     * Run one capability operation (OPTIONAL CAPABILITIES says which, when, and what the host
     * makes of the answer). Required when capabilities are listed (else the descriptor is
     * refused at stage "register").
     *
     * Thread:     one of the plugin's own threads (never an event loop), concurrently with
     *             requests and other operations; must not block.
     * operation:  NUL-terminated, e.g. "sources.list"; BORROWED for this call only.
     * input_json: `input_length` bytes of JSON, NOT NUL-terminated, never NULL (at least
     *             "{}"); BORROWED for this call only.
     * call:       finish it with host->respond exactly once, from any thread, within the
     *             operation deadline (30 s by default; see CALLS AND THREADS for config.apply).
     */
    void (*invoke)(void *context, const char *operation, const uint8_t *input_json, size_t input_length,
                   catalog_call_id call);

#if CATALOG_TARGET_ABI_MINOR >= 1
    /* 1.1 — declared only when CATALOG_TARGET_ABI_MINOR >= 1. */
    /**
     * What built the plugin, e.g. "CatalogPluginSDK 0.1.0" or "C". May be NULL or "" (none).
     * Shown as sdkVersion in /api/plugins and by `plugins verify`; never checked.
     */
    const char *sdk_version;
    /**
     * The oldest catalog-server version the plugin works with, "MAJOR.MINOR.PATCH" (three
     * non-negative integers); the host refuses the plugin (stage "abi") when it is older, or
     * when the value is not of that form. NULL or "" means any.
     */
    const char *min_host_version;
#endif

#if CATALOG_TARGET_ABI_MINOR >= 3
    /* 1.3 — declared only when CATALOG_TARGET_ABI_MINOR >= 3. */
    /**
     * For a plugin written in Swift: the Swift compiler version that built it, "MAJOR.MINOR"
     * (the Swift SDK sets it). A Swift plugin runs on the Swift runtime the host already
     * loaded, so the host refuses it (stage "abi", naming both versions) when its MAJOR.MINOR
     * differs from the host's own Swift version, or when the value is not of that form. NULL or
     * "" for a plugin that does not use the Swift runtime (C, Rust, …): never checked.
     */
    const char *swift_version;
#endif
} catalog_plugin_descriptor;

/**
 * Functions the host offers to plugins. HOST-WRITTEN: owned by the host, one table per
 * process, valid until process exit; passed to catalog_plugin_register (never NULL) — keep the
 * pointer. `struct_size` is the host's sizeof; every member of this header is declared
 * whatever CATALOG_TARGET_ABI_MINOR is, and a member added in minor N exists only when
 * `abi_minor >= N` (CATALOG_STRUCT_HAS). Every function may be called from any thread.
 */
typedef struct catalog_host_api {
    /* FROZEN: these five members keep their place in every major version. */
    uint32_t struct_size;
    /** The host's CATALOG_ABI_MAJOR. */
    uint16_t abi_major;
    /** The host's CATALOG_ABI_MINOR: the newest minor whose members this table has. */
    uint16_t abi_minor;
    /**
     * Register one catalog plugin. Call only during catalog_plugin_register, once per plugin
     * the image provides. Returns CATALOG_STATUS_OK, or CATALOG_STATUS_ABI_MISMATCH /
     * CATALOG_STATUS_INVALID_ARGUMENT when the host refuses the descriptor (the reason is
     * recorded by the host; catalog_plugin_descriptor lists the checks).
     *
     * registrar:   the one passed to catalog_plugin_register. NULL, or a call after
     *              catalog_plugin_register returned, returns CATALOG_STATUS_INVALID_ARGUMENT
     *              (the late call is logged).
     * descriptor:  BORROWED for this call: everything the host keeps is copied before it
     *              returns. NULL refuses (stage "register").
     *
     * A refusal is recorded whatever catalog_plugin_register then returns; the file's other
     * plugins still load if it returns CATALOG_STATUS_OK. If it returns anything else, none of
     * the file's plugins is loaded, including those accepted here.
     */
    catalog_status (*register_plugin)(catalog_registrar *registrar, const catalog_plugin_descriptor *descriptor);
    /**
     * Explain why catalog_plugin_register is about to return an error. Call only during
     * catalog_plugin_register. `message` is BORROWED for this call; NULL is read as
     * "(no message)"; a later call replaces an earlier one. The message becomes the reason of
     * the file's "register" failure — unless a descriptor was refused, whose reason is
     * recorded instead. NULL `registrar` is ignored.
     */
    void (*report_error)(catalog_registrar *registrar, const char *message);

    /* 1.0 */
    /**
     * Log a message through the host's logger, tagged with the plugin's name (and file).
     * `handle` may be NULL (before init, e.g. during catalog_plugin_register): the line is
     * then logged without the plugin's name. `message` is BORROWED for this call; NULL logs an
     * empty line. Unknown levels log as INFO. Any thread, any time.
     */
    void (*log)(catalog_plugin_handle *handle, catalog_log_level level, const char *message);
    /**
     * Declare one route. Call only during register_routes, with the table it was given.
     *
     * method:   "GET", "POST", "PUT", "PATCH" or "DELETE" (case-insensitive).
     * pattern:  relative to the base path, at most 1024 bytes: "/" or "/" followed by
     *           segments that are non-empty literals (without '{', '}', '*' or ':') or
     *           "{name}" (one segment); a last segment "{name...}" captures the rest of the
     *           path, slashes included. Parameter names are ASCII letters, digits or '_'. A
     *           first segment "management" is refused (the host's management API).
     *           Matching: a request reaches the most specific route of its own method,
     *           segment by segment (a literal before "{name}", "{name}" before "{name...}",
     *           whatever the parameters are called); literals compare byte for byte with the
     *           path as sent (percent-encoded, case-sensitive); empty segments are skipped;
     *           "{name...}" takes one segment or more. A path whose first segment below the
     *           base path is "management" never reaches the plugin.
     * route_id: any value; it comes back in catalog_request.route_id.
     * Returns:  CATALOG_STATUS_OK, or CATALOG_STATUS_INVALID_ARGUMENT for a NULL table, a NULL
     *           or bad method, a NULL or bad pattern, a route that matches the same requests as
     *           an earlier one (same method and shape), more than 1024 routes, or a call after
     *           register_routes returned. Every route refused during register_routes fails the
     *           plugin's bring-up at stage "init" (see register_routes), whatever the plugin
     *           does with the status.
     */
    catalog_status (*add_route)(catalog_route_table *table, const char *method, const char *pattern, uint32_t route_id);
    /**
     * Finish a lifecycle call (init, start, stop). `error_message` is required when `status`
     * is not CATALOG_STATUS_OK, and ignored otherwise; it is BORROWED for this call (NULL or
     * "" gives "… failed with status N and gave no message"). Any thread, exactly once per
     * call; an answer for an id that is unknown, already answered or past its deadline is
     * dropped (and logged). complete() on a request or operation is a failed answer (a
     * request answers 502).
     */
    void (*complete)(catalog_call_id call, catalog_status status, const char *error_message);
    /**
     * Finish a request or a capability operation with a response. `response` and everything
     * it points to are BORROWED for this call: the host copies them (see catalog_response for
     * how each member is read) before it returns. A NULL response answers 502. Any thread,
     * exactly once per call; an answer for an id that is unknown, already answered or past
     * its deadline is dropped (and logged). respond() on init, start or stop fails that call.
     */
    void (*respond)(catalog_call_id call, const catalog_response *response);

    /* 1.3 — present when host->abi_minor >= 3 (equivalently, when struct_size covers it;
     * CATALOG_STRUCT_HAS(host, catalog_host_api, log_call)); a plugin that must also load in
     * older hosts checks before calling it. Declared whatever CATALOG_TARGET_ABI_MINOR is. */
    /**
     * Log a message about one call in flight — a request (handle_request) or an operation
     * (invoke) — through the host's logger: like `log`, and the host adds that call's request
     * id to the line (`request_id`: the X-Request-Id the client sent or the host made, the one
     * in the request's headers), so the line can be found beside the request's access line.
     * `call` is the id the host passed in; log before answering it: for a call that is no
     * longer in flight (answered, past its deadline) or was never given, the line is logged
     * without a request id, as it is for calls that serve no HTTP request (init, start, stop,
     * capabilities.v2.get, config.apply on a reload, the source lists /metrics asks for).
     * An operation the host makes while serving a management request (assets.get,
     * sources.list, refresh.run, config.apply after a source change) carries that request's
     * id. Any thread. `handle` may be NULL; `message` is
     * borrowed for this call.
     */
    void (*log_call)(catalog_plugin_handle *handle, catalog_call_id call, catalog_log_level level, const char *message);
} catalog_host_api;

/**
 * The one symbol a plugin exports. The host calls it once, right after loading the image;
 * the plugin calls host->register_plugin for each catalog it provides and returns
 * CATALOG_STATUS_OK, or calls host->report_error and returns another status. FROZEN.
 *
 * When:      once per process that loads the image (probe child, server, each worker
 *            process), right after dlopen(RTLD_NOW | RTLD_LOCAL); first of all plugin code
 *            but static constructors.
 * Thread:    a host thread (not an event loop) started to load the file. Synchronous.
 * host:      never NULL; valid until process exit — keep it.
 * registrar: never NULL; valid only during this call.
 * Returns:   CATALOG_STATUS_OK with at least one plugin registered (or refused), else the
 *            file fails at stage "register": with the report_error message, the refused
 *            descriptors' reasons, "returned status N without a reason", or "registered no
 *            plugin".
 *
 * Define it with CATALOG_PLUGIN_EXPORT so that it is exported under -fvisibility=hidden.
 */
typedef catalog_status (*catalog_plugin_register_fn)(const catalog_host_api *host, catalog_registrar *registrar);

CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *host, catalog_registrar *registrar);

#ifdef __cplusplus
}
#endif

#endif /* CATALOG_PLUGIN_H */
