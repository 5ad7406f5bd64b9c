/*
 * Hostile plugins, written against the header as an attacker would, one attack per -D flag,
 * built by the hardening tests with cc. Every variant serves GET {basePath}/ping -> {"pong":"<name>"}.
 *
 *   HOSTILE_NAME="x"               plugin name (default "hostile")
 *   HOSTILE_BASE_PATH="/p"         declare this base path
 *   HOSTILE_VERSION="v"            declare this version (default "v1")
 *   HOSTILE_HEALTH_BLOCKS          healthy() never returns
 *   HOSTILE_INVOKE_BLOCKS          offers "diagnostics"; every invoke() blocks its thread for 30 s
 *   HOSTILE_TINY_DESCRIPTOR        declares struct_size 8 and a newer minor, with the descriptor
 *                                  placed right before an unmapped page: reading past the
 *                                  declared size faults
 *   HOSTILE_ROUTES=n               declares n routes GET /r0 … /r{n-1}
 *   HOSTILE_GARBLE_INIT            init() writes a frame header announcing 4 GiB to file
 *                                  descriptor 0 (a worker's socket) before the ready report
 *   GET /framing    answers with its own Content-Length, Transfer-Encoding and Connection headers
 *   GET /nocontent  answers 204 with a body
 *   GET /informational answers 101
 *   GET /steal      answers itself, then answers ids around its own call id (and random ones)
 *                   with {"stolen":true}, from another thread, for a second
 *   GET /forge      writes forged worker "response" frames to file descriptors 0 and 1 (what a
 *                   plugin in a worker process could reach), then answers
 *   GET /print      printf()s a line to standard output, then answers
 *   GET /huge       answers with a body of HOSTILE_HUGE_BYTES (default 2 MiB)
 *   GET /exit       calls exit(0)
 *   GET /complete   ends the request with complete() instead of respond()
 *   GET /headers    answers the x-request-id and traceparent headers it received
 */
#define _DEFAULT_SOURCE
#include "catalog_plugin.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef HOSTILE_NAME
#define HOSTILE_NAME "hostile"
#endif
#ifndef HOSTILE_VERSION
#define HOSTILE_VERSION "v1"
#endif
#ifndef HOSTILE_HUGE_BYTES
#define HOSTILE_HUGE_BYTES (2 * 1024 * 1024)
#endif

enum {
    ROUTE_PING = 1, ROUTE_FRAMING, ROUTE_NOCONTENT, ROUTE_INFORMATIONAL, ROUTE_STEAL, ROUTE_FORGE, ROUTE_PRINT,
    ROUTE_HUGE, ROUTE_EXIT, ROUTE_COMPLETE, ROUTE_HEADERS, ROUTE_NUMBERED = 1000
};

static const catalog_host_api *host;

static void answer(catalog_call_id call, uint16_t status, const char *body, const catalog_pair *headers, size_t count) {
    catalog_response response = {
        .struct_size = sizeof response,
        .status = status,
        .headers = headers,
        .header_count = count,
        .body = (const uint8_t *)body,
        .body_length = strlen(body),
    };
    host->respond(call, &response);
}

static void hostile_init(void *context, const catalog_init_params *params, catalog_call_id call) {
    (void)context;
    (void)params;
#ifdef HOSTILE_GARBLE_INIT
    /* In a worker, file descriptor 0 is the socket to the server: a frame header announcing
     * 4 GiB, before the worker's own ready report. */
    static const unsigned char huge[4] = {0xff, 0xff, 0xff, 0xff};
    if (write(0, huge, sizeof huge) != sizeof huge) { /* nothing to do */ }
#endif
    host->complete(call, CATALOG_STATUS_OK, NULL);
}

static catalog_status hostile_routes(void *context, catalog_route_table *table) {
    (void)context;
    static const struct { const char *pattern; uint32_t id; } routes[] = {
        {"/ping", ROUTE_PING}, {"/framing", ROUTE_FRAMING}, {"/nocontent", ROUTE_NOCONTENT},
        {"/informational", ROUTE_INFORMATIONAL}, {"/steal", ROUTE_STEAL}, {"/forge", ROUTE_FORGE},
        {"/print", ROUTE_PRINT}, {"/huge", ROUTE_HUGE}, {"/exit", ROUTE_EXIT}, {"/complete", ROUTE_COMPLETE},
        {"/headers", ROUTE_HEADERS},
    };
    for (size_t index = 0; index < sizeof routes / sizeof routes[0]; index++) {
        catalog_status status = host->add_route(table, "GET", routes[index].pattern, routes[index].id);
        if (status != CATALOG_STATUS_OK) return status;
    }
#ifdef HOSTILE_ROUTES
    for (int index = 0; index < HOSTILE_ROUTES; index++) {
        char pattern[32];
        snprintf(pattern, sizeof pattern, "/r%d", index);
        host->add_route(table, "GET", pattern, ROUTE_NUMBERED + (uint32_t)index);
    }
#endif
    return CATALOG_STATUS_OK;
}

/* Answers ids around `own` and random ones with a forged body, for about a second. */
static void *steal(void *argument) {
    catalog_call_id own = (catalog_call_id)(uintptr_t)argument;
    static const char forged[] = "{\"stolen\":true}";
    for (int round = 0; round < 100; round++) {
        for (catalog_call_id offset = 1; offset <= 64; offset++) {
            answer(own + offset, 200, forged, NULL, 0);
            answer(own - offset, 200, forged, NULL, 0);
            answer(((catalog_call_id)random() << 33) ^ ((catalog_call_id)random() << 2) ^ offset, 200, forged, NULL, 0);
        }
        usleep(10000);
    }
    return NULL;
}

/* A worker frame: 4-byte big-endian length, then JSON. */
static void forge_frames(int descriptor) {
    for (unsigned long id = 1; id <= 200; id++) {
        char json[256];
        int length = snprintf(json, sizeof json,
            "{\"kind\":\"response\",\"id\":%lu,\"response\":{\"status\":200,\"contentType\":\"application/json\","
            "\"headers\":[],\"body\":\"eyJzdG9sZW4iOnRydWV9\"}}", id);
        unsigned char header[4] = {(unsigned char)(length >> 24), (unsigned char)(length >> 16),
                                   (unsigned char)(length >> 8), (unsigned char)length};
        if (write(descriptor, header, 4) != 4 || write(descriptor, json, (size_t)length) != length) return;
    }
}

static void hostile_handle(void *context, const catalog_request *request, catalog_call_id call) {
    (void)context;
    switch (request->route_id) {
    case ROUTE_FRAMING: {
        static const catalog_pair headers[] = {
            {"Content-Length", "5"}, {"transfer-encoding", "chunked"}, {"Connection", "close"}, {"X-Plugin", "kept"},
        };
        answer(call, 200, "{\"framing\":\"mine\"}HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED", headers, 4);
        return;
    }
    case ROUTE_NOCONTENT:
        answer(call, 204, "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nSMUGGLED", NULL, 0);
        return;
    case ROUTE_INFORMATIONAL:
        answer(call, 101, "{}", NULL, 0);
        return;
    case ROUTE_STEAL: {
        answer(call, 200, "{\"thief\":true}", NULL, 0);
        pthread_t thread;
        if (pthread_create(&thread, NULL, steal, (void *)(uintptr_t)call) == 0) pthread_detach(thread);
        return;
    }
    case ROUTE_FORGE:
        forge_frames(0);
        forge_frames(1);
        answer(call, 200, "{\"forged\":true}", NULL, 0);
        return;
    case ROUTE_PRINT:
        printf("a plugin printing to standard output\n");
        fflush(stdout);
        answer(call, 200, "{\"printed\":true}", NULL, 0);
        return;
    case ROUTE_HUGE: {
        char *body = malloc(HOSTILE_HUGE_BYTES + 1);
        if (!body) { answer(call, 500, "{}", NULL, 0); return; }
        memset(body, 'x', HOSTILE_HUGE_BYTES);
        body[HOSTILE_HUGE_BYTES] = 0;
        answer(call, 200, body, NULL, 0);
        free(body);
        return;
    }
    case ROUTE_EXIT:
        exit(0);
    case ROUTE_COMPLETE:
        host->complete(call, CATALOG_STATUS_OK, NULL);
        return;
    case ROUTE_HEADERS: {
        /* {"x-request-id": "...", "traceparent": "..."} as received (values are plain tokens in the tests). */
        char body[1024];
        const char *id = "", *trace = "";
        for (size_t index = 0; index < request->header_count; index++) {
            if (strcmp(request->headers[index].key, "x-request-id") == 0) id = request->headers[index].value;
            if (strcmp(request->headers[index].key, "traceparent") == 0) trace = request->headers[index].value;
        }
        snprintf(body, sizeof body, "{\"x-request-id\":\"%.200s\",\"traceparent\":\"%.200s\"}", id, trace);
        answer(call, 200, body, NULL, 0);
        return;
    }
    default:
        answer(call, 200, "{\"pong\":\"" HOSTILE_NAME "\"}", NULL, 0);
    }
}

#ifdef HOSTILE_HEALTH_BLOCKS
static bool hostile_healthy(void *context) {
    (void)context;
    for (;;) pause();
    return true;
}
#endif

#ifdef HOSTILE_INVOKE_BLOCKS
static const char *const capabilities[] = {CATALOG_CAPABILITY_DIAGNOSTICS, NULL};

static void hostile_invoke(void *context, const char *operation, const uint8_t *input, size_t length, catalog_call_id call) {
    (void)context;
    (void)operation;
    (void)input;
    (void)length;
    sleep(30);
    answer(call, 200, "{\"sources\":[],\"errors\":[]}", NULL, 0);
}
#endif

CATALOG_PLUGIN_EXPORT catalog_status catalog_plugin_register(const catalog_host_api *api, catalog_registrar *registrar) {
    host = api;
    catalog_plugin_descriptor descriptor = {
        .struct_size = sizeof descriptor,
        .abi_major = CATALOG_ABI_MAJOR,
        .abi_minor = CATALOG_TARGET_ABI_MINOR,
        .name = HOSTILE_NAME,
        .version = HOSTILE_VERSION,
        .description = "hostile test fixture",
        .init = hostile_init,
        .register_routes = hostile_routes,
        .handle_request = hostile_handle,
#ifdef HOSTILE_BASE_PATH
        .base_path = HOSTILE_BASE_PATH,
#endif
#ifdef HOSTILE_HEALTH_BLOCKS
        .healthy = hostile_healthy,
#endif
#ifdef HOSTILE_INVOKE_BLOCKS
        .capabilities = capabilities,
        .invoke = hostile_invoke,
#endif
    };
#ifdef HOSTILE_TINY_DESCRIPTOR
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *pages = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED || mprotect(pages + page, (size_t)page, PROT_NONE) != 0) return CATALOG_STATUS_ERROR;
    catalog_plugin_descriptor *tiny = (catalog_plugin_descriptor *)(pages + page - 8);
    tiny->struct_size = 8;
    tiny->abi_major = CATALOG_ABI_MAJOR;
    tiny->abi_minor = CATALOG_ABI_MINOR + 1;
    return host->register_plugin(registrar, tiny);
#else
    return host->register_plugin(registrar, &descriptor);
#endif
}
