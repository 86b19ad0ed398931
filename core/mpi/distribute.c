/* SPDX-License-Identifier: MIT */
/* distribute.c — a sweep's runs spread over MPI ranks, balanced as they go, gathered on rank 0.
 *
 * Rank 0 hands out parts (ranges of run numbers) on request: a worker's message carries the results
 * of its last part and asks for the next, so each part costs one message each way. Parts shrink as
 * the sweep nears its end (a quarter of what is left divided by the ranks, 16 to 65,536 runs), so the
 * last parts are small and every rank finishes at about the same time however unevenly runs stop
 * early; GDLAB_MPI_PART fixes the size instead. Rank 0 also computes: its main thread takes parts
 * from the same counter, and a second thread answers the workers (polling every 0.5 ms, so it costs
 * no core). A run's numbers do not depend on which rank or thread ran it (gdlab_sweep_runs), so the
 * gathered result is bit for bit the one-process sweep's.
 *
 * Failures. MPI errors are returned, not fatal (MPI_ERRORS_RETURN): a lost rank or connection ends
 * the sweep with an error naming the rank, and the world is marked broken (the gdlab command then
 * calls MPI_Abort, which ends every rank: none waits for an answer that cannot come). A rank that
 * holds a part for longer than GDLAB_MPI_TIMEOUT seconds without answering is treated as lost. A rank
 * that dies is noticed by mpirun itself, which names it and ends the others. A failure that is not
 * about communication (a worker out of memory, the sink's disk full) is sent to every rank, so all of
 * them raise the same error and stay in step. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mpi_internal.h"

enum { TAG_RESULTS = 7301, TAG_PART = 7302 };
enum { MSG_HELLO, MSG_RESULTS, MSG_ERROR }; /* what a worker's message holds */
enum { MAX_PART = 65536, MIN_PART = 16 };

/* A worker's message: this header, then the part's columns (unpack says in which order) or an error's
 * text. */
typedef struct msg_header {
    uint64_t kind, first, count;
    double seconds; /* the worker's time spent running this part */
} msg_header;

static const size_t bytes_per_run = sizeof(int32_t) + 4 * sizeof(uint64_t);

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

const char *mpi_error_text(int code, char *buf)
{
    int len = 0;
    if (MPI_Error_string(code, buf, &len) != MPI_SUCCESS) snprintf(buf, MPI_MAX_ERROR_STRING, "code %d", code);
    return buf;
}

/* Communication failed: the sweep ends with a message naming the rank (rank < 0: not known), and so
 * does every later one. */
static int lost(mpi_world *w, int rank, const char *what, int code, char *err, size_t errlen)
{
    char text[MPI_MAX_ERROR_STRING], who[32] = "the other ranks";
    if (rank >= 0) snprintf(who, sizeof who, "rank %d", rank);
    if (code != MPI_SUCCESS)
        snprintf(w->broken, sizeof w->broken, "sweep: lost %s while %s (MPI: %s)", who, what,
                 mpi_error_text(code, text));
    else
        snprintf(w->broken, sizeof w->broken, "sweep: lost %s: %s", who, what);
    snprintf(err, errlen, "%s", w->broken);
    return -1;
}

/* ---- rank 0 ----------------------------------------------------------------------------------- */

typedef struct rank_load {
    size_t runs, parts;
    double seconds;
    uint64_t first, count; /* the part it holds now (count 0: none) */
    double since;          /* when it got it */
} rank_load;

typedef struct master {
    mpi_world *w;
    const gdlab_sweep_spec *sp;
    const gdlab_sweep_sink *sink;
    size_t n_runs, next;
    pthread_mutex_t lock;
    int failed, lost;      /* a failure to share with every rank; communication lost */
    char err[GDLAB_ERRLEN * 2];
    rank_load *load;       /* per rank */
} master;

/* The next part for rank r: [*first, *first + count), count 0 when none is left. */
static size_t take(master *m, int r, size_t *first)
{
    pthread_mutex_lock(&m->lock);
    size_t count = 0;
    if (!m->failed && !m->lost && m->next < m->n_runs) {
        const size_t left = m->n_runs - m->next;
        count = m->w->part ? m->w->part : left / (4 * (size_t)m->w->ranks);
        if (!m->w->part) count = count < MIN_PART ? MIN_PART : count > MAX_PART ? MAX_PART : count;
        if (count > left) count = left;
        *first = m->next;
        m->next += count;
        m->load[r].first = *first, m->load[r].count = count, m->load[r].since = now();
    }
    if (!count) m->load[r].count = 0;
    pthread_mutex_unlock(&m->lock);
    return count;
}

/* The sweep's first failure, shared with every rank at the end: "rank r: msg" (r < 0: msg alone). */
static void fail(master *m, int r, const char *msg)
{
    pthread_mutex_lock(&m->lock);
    if (!m->failed) {
        m->failed = 1;
        if (r >= 0)
            snprintf(m->err, sizeof m->err, "rank %d: %s", r, msg);
        else
            snprintf(m->err, sizeof m->err, "%s", msg);
    }
    pthread_mutex_unlock(&m->lock);
}

/* A finished part of rank r into the sink (one at a time: the sink is not thread-safe). */
static void deliver(master *m, int r, size_t first, const gdlab_sweep_result *part, double seconds)
{
    char err[GDLAB_ERRLEN];
    pthread_mutex_lock(&m->lock);
    m->load[r].runs += part->n_runs, m->load[r].parts++, m->load[r].seconds += seconds;
    const int failed = !m->failed && m->sink->put(m->sink->ctx, first, part, err, sizeof err);
    pthread_mutex_unlock(&m->lock);
    if (failed) fail(m, -1, err);
}

/* A worker's columns as a result (pointing into buf): the 8-byte columns first, so that each is aligned
 * in the malloc'ed buffer after the 32-byte header, then the statuses. */
static void unpack(unsigned char *buf, size_t count, gdlab_sweep_result *part)
{
    part->n_runs = count;
    unsigned char *p = buf + sizeof(msg_header);
    part->stop_step = (uint64_t *)(void *)p, p += count * sizeof(uint64_t);
    part->final_loss = (double *)(void *)p, p += count * sizeof(double);
    part->min_loss = (double *)(void *)p, p += count * sizeof(double);
    part->evals = (uint64_t *)(void *)p, p += count * sizeof(uint64_t);
    part->status = (gdlab_status *)(void *)p; /* gdlab_status is an int32 (checked below) */
}
_Static_assert(sizeof(gdlab_status) == sizeof(int32_t), "status travels as int32");
_Static_assert(sizeof(msg_header) % 8 == 0, "the columns after the header stay aligned");

/* Rank 0's second thread: answers every worker until each has been told there is nothing left. */
static void *serve(void *arg)
{
    master *m = arg;
    mpi_world *w = m->w;
    int waiting = w->ranks - 1; /* workers not yet told to stop */
    while (waiting > 0) {
        int flag = 0;
        MPI_Status st;
        int rc = MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULTS, w->comm, &flag, &st);
        if (rc != MPI_SUCCESS) {
            lost(w, -1, "waiting for results", rc, m->err, sizeof m->err);
            break;
        }
        if (!flag) {
            const double t = now();
            int late = -1;
            pthread_mutex_lock(&m->lock);
            for (int r = 1; r < w->ranks && late < 0; r++)
                if (m->load[r].count && t - m->load[r].since > w->timeout) late = r;
            pthread_mutex_unlock(&m->lock);
            if (late >= 0) {
                char what[200];
                snprintf(what, sizeof what, "no answer for %.0f s (GDLAB_MPI_TIMEOUT) while it held runs %llu to %llu",
                         w->timeout, (unsigned long long)m->load[late].first,
                         (unsigned long long)(m->load[late].first + m->load[late].count - 1));
                lost(w, late, what, MPI_SUCCESS, m->err, sizeof m->err);
                break;
            }
            nanosleep(&(struct timespec){0, 500000}, NULL);
            continue;
        }
        const int r = st.MPI_SOURCE;
        int bytes = 0;
        MPI_Get_count(&st, MPI_BYTE, &bytes);
        unsigned char *buf = malloc(bytes > 0 ? (size_t)bytes : 1);
        if (!buf) {
            lost(w, r, "receiving its results: out of memory", MPI_SUCCESS, m->err, sizeof m->err);
            break;
        }
        rc = MPI_Recv(buf, bytes, MPI_BYTE, r, TAG_RESULTS, w->comm, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) {
            free(buf);
            lost(w, r, "receiving its results", rc, m->err, sizeof m->err);
            break;
        }
        msg_header h = {.kind = (uint64_t)-1};
        if ((size_t)bytes >= sizeof h) memcpy(&h, buf, sizeof h);
        if (h.kind == MSG_RESULTS && (size_t)bytes == sizeof h + h.count * bytes_per_run) {
            gdlab_sweep_result part;
            unpack(buf, h.count, &part);
            deliver(m, r, h.first, &part, h.seconds);
        } else if (h.kind == MSG_ERROR && (size_t)bytes > sizeof h) {
            buf[bytes - 1] = 0;
            fail(m, r, (const char *)buf + sizeof h);
        } else if (h.kind != MSG_HELLO) {
            fail(m, r, "sent a malformed message");
        }
        free(buf);
        uint64_t assign[2] = {0, 0};
        size_t first = 0;
        assign[1] = take(m, r, &first);
        assign[0] = first;
        rc = MPI_Send(assign, 2, MPI_UINT64_T, r, TAG_PART, w->comm);
        if (rc != MPI_SUCCESS) {
            lost(w, r, "sending it a part", rc, m->err, sizeof m->err);
            break;
        }
        if (!assign[1]) waiting--;
    }
    if (waiting > 0) { /* lost: rank 0's own loop stops taking parts */
        pthread_mutex_lock(&m->lock);
        m->lost = 1;
        pthread_mutex_unlock(&m->lock);
    }
    return NULL;
}

/* Rank 0's own share, on its main thread. */
static void compute(master *m)
{
    size_t first;
    for (size_t count; (count = take(m, 0, &first)) > 0;) {
        gdlab_sweep_result part;
        char err[GDLAB_ERRLEN];
        const double t0 = now();
        if (gdlab_sweep_runs(m->sp, first, count, &part, err, sizeof err)) {
            fail(m, 0, err);
            break;
        }
        deliver(m, 0, first, &part, now() - t0);
        gdlab_sweep_result_free(&part);
    }
}

static void print_load(const master *m, double seconds)
{
    fprintf(stderr, "gdlab: sweep of %zu runs on %d ranks in %.3f s\n", m->n_runs, m->w->ranks, seconds);
    for (int r = 0; r < m->w->ranks; r++)
        fprintf(stderr, "gdlab:   rank %d: %zu runs in %zu parts, busy %.3f s\n", r, m->load[r].runs,
                m->load[r].parts, m->load[r].seconds);
}

static int run_master(mpi_world *w, const gdlab_sweep_spec *sp, size_t n_runs, const gdlab_sweep_sink *sink,
                      char *err, size_t errlen)
{
    master m = {.w = w, .sp = sp, .sink = sink, .n_runs = n_runs};
    m.load = calloc((size_t)w->ranks, sizeof *m.load);
    if (!m.load) return lost(w, 0, "out of memory", MPI_SUCCESS, err, errlen);
    pthread_mutex_init(&m.lock, NULL);
    const double t0 = now();
    pthread_t server;
    const int threaded = w->rank0_computes && pthread_create(&server, NULL, serve, &m) == 0;
    if (threaded) {
        compute(&m);
        pthread_join(server, NULL);
    } else {
        serve(&m); /* rank 0 only hands out parts */
    }
    if (w->report && !w->broken[0]) print_load(&m, now() - t0);
    pthread_mutex_destroy(&m.lock);
    free(m.load);
    if (w->broken[0]) {
        snprintf(err, errlen, "%s", w->broken);
        return -1;
    }
    snprintf(err, errlen, "%s", m.err);
    return m.failed ? -1 : 0;
}

/* ---- ranks 1 .. n-1 --------------------------------------------------------------------------- */

static int send_message(mpi_world *w, const msg_header *h, const gdlab_sweep_result *part, const char *text,
                        char *err, size_t errlen)
{
    const size_t body = part ? part->n_runs * bytes_per_run : text ? strlen(text) + 1 : 0;
    unsigned char *buf = malloc(sizeof *h + body);
    if (!buf) return lost(w, w->rank, "out of memory for its results", MPI_SUCCESS, err, errlen);
    memcpy(buf, h, sizeof *h);
    unsigned char *p = buf + sizeof *h;
    if (part) {
        const size_t n = part->n_runs;
        memcpy(p, part->stop_step, n * 8), p += n * 8;
        memcpy(p, part->final_loss, n * 8), p += n * 8;
        memcpy(p, part->min_loss, n * 8), p += n * 8;
        memcpy(p, part->evals, n * 8), p += n * 8;
        memcpy(p, part->status, n * sizeof(int32_t));
    } else if (text) {
        memcpy(p, text, body);
    }
    const int rc = MPI_Send(buf, (int)(sizeof *h + body), MPI_BYTE, 0, TAG_RESULTS, w->comm);
    free(buf);
    return rc == MPI_SUCCESS ? 0 : lost(w, 0, "sending results to it", rc, err, errlen);
}

static int run_worker(mpi_world *w, const gdlab_sweep_spec *sp, char *err, size_t errlen)
{
    msg_header h = {.kind = MSG_HELLO};
    if (send_message(w, &h, NULL, NULL, err, errlen)) return -1;
    for (;;) {
        uint64_t assign[2];
        const int rc = MPI_Recv(assign, 2, MPI_UINT64_T, 0, TAG_PART, w->comm, MPI_STATUS_IGNORE);
        if (rc != MPI_SUCCESS) return lost(w, 0, "waiting for a part", rc, err, errlen);
        if (assign[1] == 0) return 0;
        gdlab_sweep_result part;
        char why[GDLAB_ERRLEN];
        const double t0 = now();
        const int failed = gdlab_sweep_runs(sp, assign[0], assign[1], &part, why, sizeof why);
        h = (msg_header){.kind = failed ? MSG_ERROR : MSG_RESULTS, .first = assign[0],
                         .count = failed ? 0 : assign[1], .seconds = now() - t0};
        const int sent = send_message(w, &h, failed ? NULL : &part, failed ? why : NULL, err, errlen);
        gdlab_sweep_result_free(&part);
        if (sent) return -1;
    }
}

/* ---- every rank ------------------------------------------------------------------------------- */

/* Ranks meet before each sweep and at the end of their script, each bringing the fingerprint of its
 * sweep (or FINISHED): every rank learns whether all make the same sweep, and a rank that makes a sweep
 * the others do not (or ends while they sweep) is an error on every rank instead of a hang. Returns
 * the first rank whose value differs from rank 0's (0: none), or -1 when communication failed. */
enum { FINISHED = 0 };
static int meet(mpi_world *w, uint64_t mine, char *err, size_t errlen)
{
    uint64_t *all = malloc((size_t)w->ranks * sizeof *all);
    if (!all) return lost(w, w->rank, "out of memory", MPI_SUCCESS, err, errlen);
    const int rc = MPI_Allgather(&mine, 1, MPI_UINT64_T, all, 1, MPI_UINT64_T, w->comm);
    int differs = 0;
    for (int r = 1; rc == MPI_SUCCESS && r < w->ranks && !differs; r++)
        if (all[r] != all[0]) differs = r;
    const int rank0_finished = all[0] == FINISHED, other_finished = differs && all[differs] == FINISHED;
    free(all);
    if (rc != MPI_SUCCESS) return lost(w, w->rank, "comparing sweeps", rc, err, errlen);
    if (!differs) return 0;
    if (rank0_finished || other_finished)
        snprintf(err, errlen, "sweep: rank %d made a gd.sweep that rank %d did not make (it ended its script): "
                 "under mpirun every rank must make the same sweeps in the same order",
                 rank0_finished ? differs : 0, rank0_finished ? 0 : differs);
    else
        snprintf(err, errlen, "sweep: rank %d's gd.sweep differs from rank 0's (surface, optimizer, values or "
                 "options): under mpirun every rank must make the same sweeps in the same order", differs);
    return differs;
}

int mpi_meet_at_end(mpi_world *w, char *err, size_t errlen)
{
    return w->broken[0] ? 0 : meet(w, FINISHED, err, errlen);
}

static int mpi_run(const gdlab_sweep_distributor *self, const gdlab_sweep_spec *spec, size_t n_runs,
                   const gdlab_sweep_sink *sink, char *err, size_t errlen)
{
    mpi_world *w = self->ctx;
    if (w->broken[0]) {
        snprintf(err, errlen, "%s", w->broken);
        return -1;
    }
    uint64_t fingerprint = mpi_sweep_fingerprint(spec, n_runs);
    if (fingerprint == FINISHED) fingerprint = 1;
    if (meet(w, fingerprint, err, errlen)) return -1;
    gdlab_sweep_spec sp = *spec;
    if (!sp.threads) sp.threads = w->threads;
    /* the outcome, rank 0's, for every rank: 0 or 1, then the message */
    struct { int32_t failed; char err[GDLAB_ERRLEN * 2]; } outcome = {0, ""};
    int failed = w->rank == 0 ? run_master(w, &sp, n_runs, sink, outcome.err, sizeof outcome.err)
                              : run_worker(w, &sp, err, errlen);
    if (w->broken[0]) {
        snprintf(err, errlen, "%s", w->broken);
        return -1;
    }
    outcome.failed = failed;
    const int rc = MPI_Bcast(&outcome, sizeof outcome, MPI_BYTE, 0, w->comm);
    if (rc != MPI_SUCCESS) return lost(w, 0, "sharing the sweep's outcome", rc, err, errlen);
    if (outcome.failed) snprintf(err, errlen, "%s", outcome.err);
    return outcome.failed ? -1 : 0;
}

/* Broadcast in pieces that fit MPI's int counts. */
static int share_bytes(mpi_world *w, void *data, size_t n, char *err, size_t errlen)
{
    for (size_t done = 0; done < n;) {
        const size_t piece = n - done < ((size_t)1 << 30) ? n - done : (size_t)1 << 30;
        const int rc = MPI_Bcast((unsigned char *)data + done, (int)piece, MPI_BYTE, 0, w->comm);
        if (rc != MPI_SUCCESS) return lost(w, 0, "sharing the results", rc, err, errlen);
        done += piece;
    }
    return 0;
}

static int mpi_share(const gdlab_sweep_distributor *self, gdlab_sweep_result *r, char *err, size_t errlen)
{
    mpi_world *w = self->ctx;
    const size_t n = r->n_runs;
    return share_bytes(w, r->status, n * sizeof *r->status, err, errlen) ||
                   share_bytes(w, r->stop_step, n * sizeof *r->stop_step, err, errlen) ||
                   share_bytes(w, r->final_loss, n * sizeof *r->final_loss, err, errlen) ||
                   share_bytes(w, r->min_loss, n * sizeof *r->min_loss, err, errlen) ||
                   share_bytes(w, r->evals, n * sizeof *r->evals, err, errlen)
               ? -1
               : 0;
}

void mpi_distributor_init(gdlab_sweep_distributor *d, mpi_world *world)
{
    *d = (gdlab_sweep_distributor){.name = "mpi", .rank = world->rank, .ranks = world->ranks,
                                   .run = mpi_run, .share = mpi_share, .ctx = world};
}
