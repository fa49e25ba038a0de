/*
 * rdkafka-perf: a librdkafka benchmark peer for the kafkawire dev broker.
 *
 *   rdkafka-perf create  --brokers B --topic T [--partitions 6]
 *   rdkafka-perf produce --brokers B --topic T --messages N [--size 100] [--partitions 6]
 *   rdkafka-perf consume --brokers B --topic T --messages N [--partitions 6]
 *
 * produce: an idempotent producer (acks=all, enable.idempotence=true,
 *          linger.ms=5) sends N messages of --size bytes, null key, round
 *          robin over the partitions, and waits until every one is acknowledged.
 * consume: reads every partition from the beginning (plain partition
 *          consumers on one queue, no consumer group) until N messages are seen.
 * create:  creates the topic with --partitions partitions (replication 1).
 *
 * produce and consume print exactly one JSON line on stdout:
 *   {"mode":..,"messages":..,"bytes":..,"elapsed_s":..,"msgs_per_s":..,
 *    "mb_per_s":..,"cpu_user_s":..,"cpu_sys_s":..,"cpu_s":..,"errors":..}
 * MB is 10^6 bytes of payload. CPU seconds are this process's (getrusage).
 * Diagnostics go to stderr. Exit status is non-zero if anything failed.
 *
 * Build: make -C Benchmarks/rdkafka-peer
 *    or: cc -O2 -o rdkafka-perf rdkafka_perf.c $(pkg-config --cflags --libs rdkafka)
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

struct options {
    const char *mode;
    const char *brokers;
    const char *topic;
    long long messages;
    int size;
    int partitions;
    int timeout_s;
    const char *compression;
    int verbose;
    /* -X name=value client properties (security.protocol, sasl.*, ssl.*), applied last. */
    const char *properties[32];
    int property_count;
};

static volatile sig_atomic_t interrupted = 0;
static void on_signal(int sig) {
    (void)sig;
    interrupted = 1;
}

static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "rdkafka-perf: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    exit(1);
}

static void usage(void) {
    fprintf(stderr,
            "usage: rdkafka-perf produce|consume|create --brokers HOST:PORT --topic T\n"
            "                    [--messages N] [--size BYTES] [--partitions P]\n"
            "                    [--timeout SECONDS] [--compression none|gzip|snappy|lz4|zstd] [-v]\n"
            "                    [-X name=value ...]   (client properties, e.g. security.protocol=SASL_SSL)\n");
    exit(2);
}

static double now_monotonic(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct cpu {
    double user, sys;
};
static struct cpu cpu_now(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    struct cpu c = {
        (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
    };
    return c;
}

static void set_conf(rd_kafka_conf_t *conf, const char *name, const char *value) {
    char errstr[512];
    if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        die("config %s=%s: %s", name, value, errstr);
}

static void log_cb(const rd_kafka_t *rk, int level, const char *fac, const char *buf) {
    (void)rk;
    fprintf(stderr, "rdkafka-perf: librdkafka %d %s: %s\n", level, fac, buf);
}

static rd_kafka_conf_t *base_conf(const struct options *o) {
    rd_kafka_conf_t *conf = rd_kafka_conf_new();
    set_conf(conf, "bootstrap.servers", o->brokers);
    set_conf(conf, "client.id", "rdkafka-perf");
    rd_kafka_conf_set_log_cb(conf, log_cb);
    if (o->verbose) set_conf(conf, "debug", "broker,protocol,msg");
    for (int i = 0; i < o->property_count; i++) {
        char name[256];
        const char *eq = strchr(o->properties[i], '=');
        if (!eq || eq == o->properties[i] || (size_t)(eq - o->properties[i]) >= sizeof name)
            die("-X expects name=value: %s", o->properties[i]);
        memcpy(name, o->properties[i], (size_t)(eq - o->properties[i]));
        name[eq - o->properties[i]] = 0;
        set_conf(conf, name, eq + 1);
    }
    return conf;
}

static void print_result(const struct options *o, long long messages, long long bytes, double elapsed,
                         struct cpu c0, struct cpu c1, long long errors) {
    double user = c1.user - c0.user, sys = c1.sys - c0.sys;
    if (elapsed <= 0) elapsed = 1e-9;
    printf("{\"mode\":\"%s\",\"topic\":\"%s\",\"messages\":%lld,\"size\":%d,\"partitions\":%d,"
           "\"bytes\":%lld,\"elapsed_s\":%.3f,\"msgs_per_s\":%.0f,\"mb_per_s\":%.2f,"
           "\"cpu_user_s\":%.3f,\"cpu_sys_s\":%.3f,\"cpu_s\":%.3f,\"errors\":%lld,"
           "\"librdkafka\":\"%s\"}\n",
           o->mode, o->topic, messages, o->size, o->partitions, bytes, elapsed,
           (double)messages / elapsed, (double)bytes / 1e6 / elapsed, user, sys, user + sys, errors,
           rd_kafka_version_str());
    fflush(stdout);
}

/* Waits (up to timeout_s) until the topic's metadata shows `partitions` partitions with leaders. */
static int wait_for_topic(rd_kafka_t *rk, const struct options *o, int quiet) {
    double deadline = now_monotonic() + o->timeout_s;
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
    int ok = 0;
    while (!interrupted && now_monotonic() < deadline) {
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, 5000);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR && md->topic_cnt == 1 && md->topics[0].err == 0) {
            const struct rd_kafka_metadata_topic *t = &md->topics[0];
            int with_leader = 0;
            for (int i = 0; i < t->partition_cnt; i++)
                if (t->partitions[i].leader >= 0 && t->partitions[i].err == 0) with_leader++;
            if (t->partition_cnt >= o->partitions && with_leader == t->partition_cnt) ok = 1;
            else if (!quiet)
                fprintf(stderr, "rdkafka-perf: topic %s has %d partitions (%d with leader), want %d\n",
                        o->topic, t->partition_cnt, with_leader, o->partitions);
        } else if (!quiet) {
            fprintf(stderr, "rdkafka-perf: metadata for %s: %s\n", o->topic,
                    err ? rd_kafka_err2str(err)
                        : (md && md->topic_cnt ? rd_kafka_err2str(md->topics[0].err) : "no topic"));
        }
        if (md) rd_kafka_metadata_destroy(md);
        if (ok) break;
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    rd_kafka_topic_destroy(rkt);
    return ok;
}

/* ---------------------------------------------------------------- create */

static int run_create(const struct options *o) {
    char errstr[512];
    rd_kafka_conf_t *conf = base_conf(o);
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) die("rd_kafka_new: %s", errstr);

    rd_kafka_NewTopic_t *nt = rd_kafka_NewTopic_new(o->topic, o->partitions, 1, errstr, sizeof errstr);
    if (!nt) die("NewTopic: %s", errstr);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS);
    rd_kafka_AdminOptions_set_operation_timeout(opts, o->timeout_s * 1000, errstr, sizeof errstr);
    rd_kafka_AdminOptions_set_request_timeout(opts, o->timeout_s * 1000, errstr, sizeof errstr);
    rd_kafka_CreateTopics(rk, &nt, 1, opts, q);

    int rc = 1;
    rd_kafka_event_t *ev = rd_kafka_queue_poll(q, (o->timeout_s + 5) * 1000);
    if (!ev) {
        fprintf(stderr, "rdkafka-perf: CreateTopics timed out\n");
    } else if (rd_kafka_event_error(ev)) {
        fprintf(stderr, "rdkafka-perf: CreateTopics: %s\n", rd_kafka_event_error_string(ev));
    } else {
        const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
        size_t cnt = 0;
        const rd_kafka_topic_result_t **tr = rd_kafka_CreateTopics_result_topics(res, &cnt);
        rc = 0;
        for (size_t i = 0; i < cnt; i++) {
            rd_kafka_resp_err_t e = rd_kafka_topic_result_error(tr[i]);
            if (e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
                fprintf(stderr, "rdkafka-perf: topic %s already exists\n", rd_kafka_topic_result_name(tr[i]));
            } else if (e) {
                fprintf(stderr, "rdkafka-perf: create %s: %s\n", rd_kafka_topic_result_name(tr[i]),
                        rd_kafka_topic_result_error_string(tr[i]));
                rc = 1;
            }
        }
    }
    if (ev) rd_kafka_event_destroy(ev);
    rd_kafka_AdminOptions_destroy(opts);
    rd_kafka_NewTopic_destroy(nt);
    rd_kafka_queue_destroy(q);
    if (rc == 0 && !wait_for_topic(rk, o, 0)) {
        fprintf(stderr, "rdkafka-perf: topic %s did not become ready\n", o->topic);
        rc = 1;
    }
    if (rc == 0) fprintf(stderr, "rdkafka-perf: topic %s ready with %d partitions\n", o->topic, o->partitions);
    rd_kafka_destroy(rk);
    return rc;
}

/* --------------------------------------------------------------- produce */

struct produce_state {
    long long delivered;
    long long failed;
    rd_kafka_resp_err_t first_error;
};

static void dr_msg_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
    (void)rk;
    struct produce_state *st = opaque;
    if (m->err) {
        if (st->failed == 0) {
            st->first_error = m->err;
            fprintf(stderr, "rdkafka-perf: delivery failed: %s\n", rd_kafka_err2str(m->err));
        }
        st->failed++;
    } else {
        st->delivered++;
    }
}

static int run_produce(const struct options *o) {
    char errstr[512];
    struct produce_state st = {0, 0, 0};
    rd_kafka_conf_t *conf = base_conf(o);
    set_conf(conf, "acks", "all");
    set_conf(conf, "enable.idempotence", "true");
    set_conf(conf, "linger.ms", "5");
    set_conf(conf, "queue.buffering.max.messages", "1000000");
    set_conf(conf, "queue.buffering.max.kbytes", "1048576");
    set_conf(conf, "compression.codec", o->compression);
    char timeout_ms[32];
    snprintf(timeout_ms, sizeof timeout_ms, "%d", o->timeout_s * 1000);
    set_conf(conf, "message.timeout.ms", timeout_ms);
    rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
    rd_kafka_conf_set_opaque(conf, &st);

    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
    if (!rk) die("rd_kafka_new: %s", errstr);
    if (!wait_for_topic(rk, o, 0)) die("topic %s not available with %d partitions", o->topic, o->partitions);

    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, NULL);
    char *payload = malloc((size_t)o->size + 1);
    if (!payload) die("out of memory");
    for (int i = 0; i < o->size; i++) payload[i] = (char)('a' + (i * 7 + i / 26) % 26);

    struct cpu c0 = cpu_now();
    double t0 = now_monotonic();
    double deadline = t0 + o->timeout_s + (double)o->messages / 10000.0; /* generous */
    for (long long i = 0; i < o->messages && !interrupted; i++) {
        int32_t partition = (int32_t)(i % o->partitions);
        /* Vary the first bytes a little so payloads are not all identical. */
        if (o->size >= 8) memcpy(payload, &i, 8);
        for (;;) {
            if (rd_kafka_produce(rkt, partition, RD_KAFKA_MSG_F_COPY, payload, (size_t)o->size, NULL, 0,
                                 NULL) == 0)
                break;
            rd_kafka_resp_err_t err = rd_kafka_last_error();
            if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) die("produce: %s", rd_kafka_err2str(err));
            rd_kafka_poll(rk, 1);
            if (interrupted || now_monotonic() > deadline) die("produce: timed out with a full queue");
        }
        if ((i & 1023) == 0) rd_kafka_poll(rk, 0);
    }
    while (!interrupted && rd_kafka_outq_len(rk) > 0 && now_monotonic() < deadline) rd_kafka_poll(rk, 50);
    double t1 = now_monotonic();
    struct cpu c1 = cpu_now();

    long long outstanding = rd_kafka_outq_len(rk);
    print_result(o, st.delivered, st.delivered * (long long)o->size, t1 - t0, c0, c1, st.failed + outstanding);
    int rc = (st.delivered == o->messages && st.failed == 0) ? 0 : 1;
    if (rc)
        fprintf(stderr, "rdkafka-perf: %lld of %lld delivered, %lld failed, %lld outstanding\n", st.delivered,
                o->messages, st.failed, outstanding);
    if (rd_kafka_fatal_error(rk, errstr, sizeof errstr)) {
        fprintf(stderr, "rdkafka-perf: fatal producer error: %s\n", errstr);
        rc = 1;
    }
    free(payload);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_flush(rk, 1000);
    rd_kafka_destroy(rk);
    return rc;
}

/* --------------------------------------------------------------- consume */

static int run_consume(const struct options *o) {
    char errstr[512];
    rd_kafka_conf_t *conf = base_conf(o);
    set_conf(conf, "enable.partition.eof", "false");
    set_conf(conf, "queued.min.messages", "1000000");
    set_conf(conf, "fetch.wait.max.ms", "100");
    rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr);
    if (!rk) die("rd_kafka_new: %s", errstr);
    if (!wait_for_topic(rk, o, 0)) die("topic %s not available with %d partitions", o->topic, o->partitions);

    rd_kafka_topic_conf_t *tconf = rd_kafka_topic_conf_new();
    if (rd_kafka_topic_conf_set(tconf, "auto.offset.reset", "earliest", errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
        die("topic config: %s", errstr);
    rd_kafka_topic_t *rkt = rd_kafka_topic_new(rk, o->topic, tconf);
    rd_kafka_queue_t *q = rd_kafka_queue_new(rk);

    struct cpu c0 = cpu_now();
    double t0 = now_monotonic();
    for (int p = 0; p < o->partitions; p++)
        if (rd_kafka_consume_start_queue(rkt, p, RD_KAFKA_OFFSET_BEGINNING, q) == -1)
            die("consume_start partition %d: %s", p, rd_kafka_err2str(rd_kafka_last_error()));

    enum { BATCH = 10000 };
    rd_kafka_message_t **batch = calloc(BATCH, sizeof *batch);
    if (!batch) die("out of memory");
    long long seen = 0, bytes = 0, errors = 0;
    double deadline = t0 + o->timeout_s + (double)o->messages / 10000.0;
    while (seen < o->messages && !interrupted && now_monotonic() < deadline) {
        ssize_t n = rd_kafka_consume_batch_queue(q, 100, batch, BATCH);
        if (n < 0) die("consume_batch_queue: %s", rd_kafka_err2str(rd_kafka_last_error()));
        for (ssize_t i = 0; i < n; i++) {
            rd_kafka_message_t *m = batch[i];
            if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                    if (errors == 0) fprintf(stderr, "rdkafka-perf: consume error: %s\n", rd_kafka_message_errstr(m));
                    errors++;
                }
            } else {
                seen++;
                bytes += (long long)m->len;
            }
            rd_kafka_message_destroy(m);
        }
    }
    double t1 = now_monotonic();
    struct cpu c1 = cpu_now();

    for (int p = 0; p < o->partitions; p++) rd_kafka_consume_stop(rkt, p);
    print_result(o, seen, bytes, t1 - t0, c0, c1, errors);
    int rc = seen >= o->messages ? 0 : 1;
    if (rc) fprintf(stderr, "rdkafka-perf: saw %lld of %lld messages before the deadline\n", seen, o->messages);
    free(batch);
    rd_kafka_queue_destroy(q);
    rd_kafka_topic_destroy(rkt);
    rd_kafka_destroy(rk);
    return rc;
}

/* ------------------------------------------------------------------ main */

static long long parse_count(const char *flag, const char *s) {
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || !end || *end || v < 0) die("%s: not a non-negative integer: %s", flag, s);
    return v;
}

int main(int argc, char **argv) {
    struct options o = {NULL, NULL, NULL, 1000000, 100, 6, 120, "none", 0, {0}, 0};
    if (argc < 2) usage();
    o.mode = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-v")) { o.verbose = 1; continue; }
        if (!v) usage();
        if (!strcmp(a, "--brokers")) o.brokers = v;
        else if (!strcmp(a, "--topic")) o.topic = v;
        else if (!strcmp(a, "--messages")) o.messages = parse_count(a, v);
        else if (!strcmp(a, "--size")) o.size = (int)parse_count(a, v);
        else if (!strcmp(a, "--partitions")) o.partitions = (int)parse_count(a, v);
        else if (!strcmp(a, "--timeout")) o.timeout_s = (int)parse_count(a, v);
        else if (!strcmp(a, "--compression")) o.compression = v;
        else if (!strcmp(a, "-X")) {
            if (o.property_count == (int)(sizeof o.properties / sizeof o.properties[0])) die("too many -X properties");
            o.properties[o.property_count++] = v;
        }
        else usage();
        i++;
    }
    if (!o.brokers || !o.topic || o.partitions < 1) usage();

    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);

    if (!strcmp(o.mode, "produce")) return run_produce(&o);
    if (!strcmp(o.mode, "consume")) return run_consume(&o);
    if (!strcmp(o.mode, "create")) return run_create(&o);
    usage();
    return 2;
}
