/*
 * A scriptable fake of libnvidia-ml.so.1 for the agent's NVML tests (test-only, never packaged).
 *
 * It exports the versioned symbols the agent binds, with the real signatures, struct layouts and
 * return codes, over a table of fake GPUs. The legacy unversioned entry points (nvmlInit,
 * nvmlDeviceGetCount, nvmlDeviceGetComputeRunningProcesses, ...) are exported as traps: they
 * fail and count themselves, so a binding that calls the old ABI is caught.
 *
 * Scripting: "key=value" lines, from the file named by $FAKE_NVML_SCENARIO (read on first use)
 * or fake_nvml_load(path), or one at a time through fake_nvml_set(key, value). Keys:
 *   gpus=N                   number of GPUs (each starts with realistic GH200-like defaults)
 *   driver=S  nvml=S         system version strings
 *   init.rc=N                what nvmlInit_v2 returns (e.g. 9 DRIVER_NOT_LOADED, 18 RM mismatch)
 *   fail.<fn>=N              every call of <fn> returns N (e.g. fail.nvmlDeviceGetPowerUsage=3)
 *   slow.<fn>=MS             every call of <fn> sleeps MS milliseconds first
 *   events.fail_once=N       the next nvmlEventSetWait_v2 returns N
 *   gpm.min_gap_ms=MS        nvmlGpmMetricsGet rejects samples closer than this (default 100)
 *   gpuI.fail.<fn>=N         <fn> returns N for GPU I only
 *   gpuI.lost=0|1            every call on GPU I returns GPU_IS_LOST
 *   gpuI.xid=79,48           queue XID events for the event set
 *   gpuI.name / uuid / pci / util.gpu / util.mem / mem.total / mem.reserved / mem.free /
 *   mem.used / power / powerlimit (mW) / energy (mJ) / temp / clock.graphics / clock.sm /
 *   clock.mem (MHz) / clockreasons (bit mask) / ecc.mode / ecc.vol.cor / ecc.vol.unc /
 *   ecc.agg.cor / ecc.agg.unc / remap.cor / remap.unc / remap.pending / remap.failure /
 *   procs=pid:bytes,pid:na / gpm=0|1 / gpm.sm / gpm.occ (percent) / modulepower (mW or "na")
 * Control: fake_nvml_reset(), fake_nvml_set(), fake_nvml_load(), fake_nvml_stat(name).
 * Build with -DFAKE_NVML_MINIMAL for an "old driver" variant without GPM, TemperatureV,
 * CurrentClocksEventReasons and MemoryInfo_v2.
 */
#define _GNU_SOURCE
#include "fake_nvml.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_GPUS 16
#define MAX_PROCS 64
#define MAX_EVENTS 4096

#define FUNCTIONS(X) \
  X(nvmlInit_v2) X(nvmlShutdown) X(nvmlSystemGetDriverVersion) X(nvmlSystemGetNVMLVersion) \
  X(nvmlDeviceGetCount_v2) X(nvmlDeviceGetHandleByIndex_v2) X(nvmlDeviceGetName) \
  X(nvmlDeviceGetUUID) X(nvmlDeviceGetPciInfo_v3) X(nvmlDeviceGetUtilizationRates) \
  X(nvmlDeviceGetMemoryInfo) X(nvmlDeviceGetMemoryInfo_v2) X(nvmlDeviceGetPowerUsage) \
  X(nvmlDeviceGetEnforcedPowerLimit) X(nvmlDeviceGetTotalEnergyConsumption) \
  X(nvmlDeviceGetTemperature) X(nvmlDeviceGetTemperatureV) X(nvmlDeviceGetClockInfo) \
  X(nvmlDeviceGetCurrentClocksEventReasons) X(nvmlDeviceGetCurrentClocksThrottleReasons) \
  X(nvmlDeviceGetEccMode) X(nvmlDeviceGetTotalEccErrors) X(nvmlDeviceGetRemappedRows) \
  X(nvmlDeviceGetComputeRunningProcesses_v3) X(nvmlDeviceGetFieldValues) \
  X(nvmlGpmQueryDeviceSupport) X(nvmlGpmSampleAlloc) X(nvmlGpmSampleFree) X(nvmlGpmSampleGet) \
  X(nvmlGpmMetricsGet) X(nvmlEventSetCreate) X(nvmlDeviceRegisterEvents) \
  X(nvmlEventSetWait_v2) X(nvmlEventSetFree)

#define AS_ENUM(n) FN_##n,
#define AS_NAME(n) #n,
enum { FUNCTIONS(AS_ENUM) FN_COUNT };
static const char *const FN_NAMES[] = {FUNCTIONS(AS_NAME)};

struct gpu {
  char name[256], uuid[256], pci[64];
  int lost;
  unsigned int util_gpu, util_mem;
  unsigned long long mem_total, mem_reserved, mem_free, mem_used;
  unsigned int power, power_limit;
  unsigned long long energy;
  int temp;
  unsigned int clk_graphics, clk_sm, clk_mem;
  unsigned long long clock_reasons;
  unsigned int ecc_mode;
  unsigned long long ecc[2][2]; /* [corrected/uncorrected][volatile/aggregate] */
  unsigned int remap_cor, remap_unc, remap_pending, remap_failure;
  int nprocs;
  unsigned int pids[MAX_PROCS];
  unsigned long long pmem[MAX_PROCS];
  unsigned int gpm_supported;
  double gpm_sm, gpm_occ;
  int module_power_set;
  unsigned int module_power;
  int fail[FN_COUNT];
};

struct nvmlDevice_st { int index; };
struct nvmlEventSet_st { unsigned long long mask[MAX_GPUS]; };
struct nvmlGpmSample_st { int dev; long long t_ms; int filled; };
struct event { int dev; unsigned long long xid; };

static struct nvmlDevice_st devs[MAX_GPUS];
static struct gpu gpus[MAX_GPUS];
static int ngpus;
static char driver_version[128], nvml_version[128];
static int init_rc, gpm_min_gap_ms, event_fail_once;
static int gfail[FN_COUNT], gslow[FN_COUNT];
static int refcount;
static long long stat_init, stat_shutdown, stat_legacy, stat_calls, stat_sets;

static struct event queue[MAX_EVENTS];
static int queue_len;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queued = PTHREAD_COND_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;

int fake_nvml_load(const char *path);
static int apply_setting(const char *key, const char *value);
static int load_file(const char *path);

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void default_gpu(int i) {
  struct gpu *g = &gpus[i];
  memset(g, 0, sizeof *g);
  devs[i].index = i;
  snprintf(g->name, sizeof g->name, "NVIDIA GH200 480GB");
  snprintf(g->uuid, sizeof g->uuid, "GPU-fa4e0000-0000-4000-8000-%012d", i);
  snprintf(g->pci, sizeof g->pci, "%08X:01:00.0", 9 + i);
  g->util_gpu = 87; g->util_mem = 41;
  g->mem_total = 102005473280ULL; g->mem_reserved = 536870912ULL;
  g->mem_used = 81604378624ULL; g->mem_free = g->mem_total - g->mem_used;
  g->power = 412345; g->power_limit = 900000; g->energy = 123456789012ULL;
  g->temp = 61;
  g->clk_graphics = 1980; g->clk_sm = 1980; g->clk_mem = 2619;
  g->clock_reasons = 0x4; /* SwPowerCap */
  g->ecc_mode = 1;
  g->ecc[0][0] = 3; g->ecc[1][0] = 0; g->ecc[0][1] = 17; g->ecc[1][1] = 1;
  g->remap_cor = 2;
  g->nprocs = 2;
  g->pids[0] = 1000 + 10 * i; g->pmem[0] = 1073741824ULL;
  g->pids[1] = 1001 + 10 * i; g->pmem[1] = 2147483648ULL;
  g->gpm_supported = 1; g->gpm_sm = 72.5; g->gpm_occ = 38.25;
  g->module_power_set = 1; g->module_power = 655000;
}

int fake_nvml_reset(void) {
  pthread_mutex_lock(&lock);
  for (int i = 0; i < MAX_GPUS; i++) default_gpu(i);
  ngpus = 1;
  snprintf(driver_version, sizeof driver_version, "560.35.03");
  snprintf(nvml_version, sizeof nvml_version, "12.560.35.03");
  init_rc = 0; gpm_min_gap_ms = 100; event_fail_once = 0;
  memset(gfail, 0, sizeof gfail); memset(gslow, 0, sizeof gslow);
  queue_len = 0;
  stat_init = stat_shutdown = stat_legacy = stat_calls = 0;
  pthread_mutex_unlock(&lock);
  return 0;
}

static void init_once(void) {
  fake_nvml_reset();
  const char *path = getenv("FAKE_NVML_SCENARIO");
  /* Not the public entry points: they run pthread_once themselves, which would deadlock here. */
  if (path && *path && load_file(path) != 0) {
    fprintf(stderr, "fake-nvml: cannot apply scenario %s\n", path);
  }
}

static int fn_index(const char *name) {
  for (int i = 0; i < FN_COUNT; i++) if (strcmp(FN_NAMES[i], name) == 0) return i;
  return -1;
}

static unsigned long long num(const char *v) { return strtoull(v, NULL, 0); }

static int set_procs(struct gpu *g, const char *v) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", v);
  g->nprocs = 0;
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok && g->nprocs < MAX_PROCS;
       tok = strtok_r(NULL, ",", &save)) {
    char *colon = strchr(tok, ':');
    if (!colon) return -1;
    *colon = 0;
    g->pids[g->nprocs] = (unsigned int)num(tok);
    g->pmem[g->nprocs] = strcmp(colon + 1, "na") == 0 ? ULLONG_MAX : num(colon + 1);
    g->nprocs++;
  }
  return 0;
}

static int queue_xids(int dev, const char *v) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", v);
  pthread_mutex_lock(&lock);
  for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok && queue_len < MAX_EVENTS;
       tok = strtok_r(NULL, ",", &save)) {
    queue[queue_len].dev = dev;
    queue[queue_len].xid = num(tok);
    queue_len++;
  }
  pthread_cond_broadcast(&queued);
  pthread_mutex_unlock(&lock);
  return 0;
}

static int set_gpu(int i, const char *k, const char *v) {
  struct gpu *g = &gpus[i];
  if (strncmp(k, "fail.", 5) == 0) {
    int f = fn_index(k + 5);
    if (f < 0) return -1;
    g->fail[f] = (int)num(v);
    return 0;
  }
#define STR(key, field) if (strcmp(k, key) == 0) { snprintf(field, sizeof field, "%s", v); return 0; }
#define NUM(key, field) if (strcmp(k, key) == 0) { field = num(v); return 0; }
  STR("name", g->name) STR("uuid", g->uuid) STR("pci", g->pci)
  NUM("lost", g->lost) NUM("util.gpu", g->util_gpu) NUM("util.mem", g->util_mem)
  NUM("mem.total", g->mem_total) NUM("mem.reserved", g->mem_reserved)
  NUM("mem.free", g->mem_free) NUM("mem.used", g->mem_used)
  NUM("power", g->power) NUM("powerlimit", g->power_limit) NUM("energy", g->energy)
  NUM("clock.graphics", g->clk_graphics) NUM("clock.sm", g->clk_sm) NUM("clock.mem", g->clk_mem)
  NUM("clockreasons", g->clock_reasons) NUM("ecc.mode", g->ecc_mode)
  NUM("ecc.vol.cor", g->ecc[0][0]) NUM("ecc.vol.unc", g->ecc[1][0])
  NUM("ecc.agg.cor", g->ecc[0][1]) NUM("ecc.agg.unc", g->ecc[1][1])
  NUM("remap.cor", g->remap_cor) NUM("remap.unc", g->remap_unc)
  NUM("remap.pending", g->remap_pending) NUM("remap.failure", g->remap_failure)
  NUM("gpm", g->gpm_supported)
#undef STR
#undef NUM
  if (strcmp(k, "temp") == 0) { g->temp = (int)strtol(v, NULL, 0); return 0; }
  if (strcmp(k, "gpm.sm") == 0) { g->gpm_sm = strtod(v, NULL); return 0; }
  if (strcmp(k, "gpm.occ") == 0) { g->gpm_occ = strtod(v, NULL); return 0; }
  if (strcmp(k, "procs") == 0) return set_procs(g, v);
  if (strcmp(k, "xid") == 0) return queue_xids(i, v);
  if (strcmp(k, "modulepower") == 0) {
    g->module_power_set = strcmp(v, "na") != 0;
    g->module_power = g->module_power_set ? (unsigned int)num(v) : 0;
    return 0;
  }
  return -1;
}

int fake_nvml_set(const char *key, const char *value) {
  pthread_once(&once, init_once);
  return apply_setting(key, value);
}

static int apply_setting(const char *key, const char *value) {
  if (strncmp(key, "gpu", 3) == 0 && key[3] >= '0' && key[3] <= '9') {
    char *dot;
    long i = strtol(key + 3, &dot, 10);
    if (*dot != '.' || i < 0 || i >= MAX_GPUS) return -1;
    return set_gpu((int)i, dot + 1, value);
  }
  if (strcmp(key, "gpus") == 0) {
    long n = strtol(value, NULL, 10);
    if (n < 0 || n > MAX_GPUS) return -1;
    ngpus = (int)n;
    return 0;
  }
  if (strcmp(key, "driver") == 0) { snprintf(driver_version, sizeof driver_version, "%s", value); return 0; }
  if (strcmp(key, "nvml") == 0) { snprintf(nvml_version, sizeof nvml_version, "%s", value); return 0; }
  if (strcmp(key, "init.rc") == 0) { init_rc = (int)num(value); return 0; }
  if (strcmp(key, "gpm.min_gap_ms") == 0) { gpm_min_gap_ms = (int)num(value); return 0; }
  if (strcmp(key, "events.fail_once") == 0) { event_fail_once = (int)num(value); return 0; }
  if (strncmp(key, "fail.", 5) == 0 || strncmp(key, "slow.", 5) == 0) {
    int f = fn_index(key + 5);
    if (f < 0) return -1;
    (key[0] == 'f' ? gfail : gslow)[f] = (int)num(value);
    return 0;
  }
  return -1;
}

int fake_nvml_load(const char *path) {
  pthread_once(&once, init_once);
  return load_file(path);
}

static int load_file(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[4096];
  int rc = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = 0;
    if (line[0] == '#' || line[0] == 0) continue;
    char *eq = strchr(line, '=');
    if (!eq) { rc = -1; continue; }
    *eq = 0;
    if (apply_setting(line, eq + 1) != 0) rc = -1;
  }
  fclose(f);
  return rc;
}

long long fake_nvml_stat(const char *name) {
  if (strcmp(name, "init_calls") == 0) return stat_init;
  if (strcmp(name, "shutdown_calls") == 0) return stat_shutdown;
  if (strcmp(name, "legacy_calls") == 0) return stat_legacy;
  if (strcmp(name, "refcount") == 0) return refcount;
  if (strcmp(name, "calls") == 0) return stat_calls;
  if (strcmp(name, "event_sets") == 0) return stat_sets;
  if (strcmp(name, "queued_events") == 0) return queue_len;
  return -1;
}

/* Common entry: initialisation state, scripted slowness and failures, device validation. */
static nvmlReturn_t enter(int fn, nvmlDevice_t d, struct gpu **out) {
  pthread_once(&once, init_once);
  __atomic_add_fetch(&stat_calls, 1, __ATOMIC_RELAXED);
  if (gslow[fn] > 0) usleep((useconds_t)gslow[fn] * 1000);
  if (refcount <= 0) return NVML_ERROR_UNINITIALIZED;
  if (gfail[fn]) return gfail[fn];
  if (d) {
    if (d < &devs[0] || d >= &devs[ngpus]) return NVML_ERROR_INVALID_ARGUMENT;
    struct gpu *g = &gpus[d->index];
    if (g->lost) return NVML_ERROR_GPU_IS_LOST;
    if (g->fail[fn]) return g->fail[fn];
    if (out) *out = g;
  }
  return NVML_SUCCESS;
}

#define ENTER(fn, dev)                                   \
  struct gpu *g = NULL;                                  \
  do {                                                   \
    nvmlReturn_t r_ = enter(FN_##fn, (dev), &g);         \
    if (r_ != NVML_SUCCESS) return r_;                   \
  } while (0)

static nvmlReturn_t copy_str(char *dst, unsigned int len, const char *src) {
  if (!dst) return NVML_ERROR_INVALID_ARGUMENT;
  if (strlen(src) + 1 > len) return NVML_ERROR_INSUFFICIENT_SIZE;
  memcpy(dst, src, strlen(src) + 1);
  return NVML_SUCCESS;
}

/* ---- lifecycle and system ---- */

nvmlReturn_t nvmlInit_v2(void) {
  pthread_once(&once, init_once);
  stat_init++;
  if (gslow[FN_nvmlInit_v2] > 0) usleep((useconds_t)gslow[FN_nvmlInit_v2] * 1000);
  if (init_rc) return init_rc;
  refcount++;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown(void) {
  pthread_once(&once, init_once);
  stat_shutdown++;
  if (refcount <= 0) return NVML_ERROR_UNINITIALIZED;
  refcount--;
  return NVML_SUCCESS;
}

const char *nvmlErrorString(nvmlReturn_t r) {
  switch (r) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 3: return "Not Supported";
    case 9: return "Driver Not Loaded";
    case 15: return "GPU is lost";
    case 18: return "RM has detected an NVML/RM version mismatch.";
    default: return "Unknown Error";
  }
}

nvmlReturn_t nvmlSystemGetDriverVersion(char *v, unsigned int len) {
  ENTER(nvmlSystemGetDriverVersion, NULL);
  return copy_str(v, len, driver_version);
}

nvmlReturn_t nvmlSystemGetNVMLVersion(char *v, unsigned int len) {
  ENTER(nvmlSystemGetNVMLVersion, NULL);
  return copy_str(v, len, nvml_version);
}

/* ---- enumeration and identity ---- */

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int *count) {
  ENTER(nvmlDeviceGetCount_v2, NULL);
  *count = (unsigned int)ngpus;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t *device) {
  ENTER(nvmlDeviceGetHandleByIndex_v2, NULL);
  if (index >= (unsigned int)ngpus) return NVML_ERROR_INVALID_ARGUMENT;
  if (gpus[index].lost) return NVML_ERROR_GPU_IS_LOST;
  if (gpus[index].fail[FN_nvmlDeviceGetHandleByIndex_v2]) return gpus[index].fail[FN_nvmlDeviceGetHandleByIndex_v2];
  *device = &devs[index];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t d, char *name, unsigned int len) {
  ENTER(nvmlDeviceGetName, d);
  return copy_str(name, len, g->name);
}

nvmlReturn_t nvmlDeviceGetUUID(nvmlDevice_t d, char *uuid, unsigned int len) {
  ENTER(nvmlDeviceGetUUID, d);
  return copy_str(uuid, len, g->uuid);
}

nvmlReturn_t nvmlDeviceGetPciInfo_v3(nvmlDevice_t d, nvmlPciInfo_t *pci) {
  ENTER(nvmlDeviceGetPciInfo_v3, d);
  memset(pci, 0, sizeof *pci);
  snprintf(pci->busIdLegacy, sizeof pci->busIdLegacy, "%.12s", g->pci + 4);
  pci->domain = 9 + (unsigned int)d->index;
  pci->bus = 1;
  pci->pciDeviceId = 0x234210DE;
  snprintf(pci->busId, sizeof pci->busId, "%.31s", g->pci);
  return NVML_SUCCESS;
}

/* ---- utilisation, memory, power, thermal, clocks ---- */

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t d, nvmlUtilization_t *u) {
  ENTER(nvmlDeviceGetUtilizationRates, d);
  u->gpu = g->util_gpu;
  u->memory = g->util_mem;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t d, nvmlMemory_t *m) {
  ENTER(nvmlDeviceGetMemoryInfo, d);
  m->total = g->mem_total;
  m->free = g->mem_free;
  m->used = g->mem_used;
  return NVML_SUCCESS;
}

#ifndef FAKE_NVML_MINIMAL
nvmlReturn_t nvmlDeviceGetMemoryInfo_v2(nvmlDevice_t d, nvmlMemory_v2_t *m) {
  ENTER(nvmlDeviceGetMemoryInfo_v2, d);
  if (m->version != nvmlMemory_v2) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  m->total = g->mem_total;
  m->reserved = g->mem_reserved;
  m->free = g->mem_free;
  m->used = g->mem_used;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetPowerUsage(nvmlDevice_t d, unsigned int *p) {
  ENTER(nvmlDeviceGetPowerUsage, d);
  *p = g->power;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetEnforcedPowerLimit(nvmlDevice_t d, unsigned int *p) {
  ENTER(nvmlDeviceGetEnforcedPowerLimit, d);
  *p = g->power_limit;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t d, unsigned long long *e) {
  ENTER(nvmlDeviceGetTotalEnergyConsumption, d);
  *e = g->energy;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTemperature(nvmlDevice_t d, int sensor, unsigned int *t) {
  ENTER(nvmlDeviceGetTemperature, d);
  if (sensor != 0) return NVML_ERROR_INVALID_ARGUMENT;
  *t = (unsigned int)g->temp;
  return NVML_SUCCESS;
}

#ifndef FAKE_NVML_MINIMAL
nvmlReturn_t nvmlDeviceGetTemperatureV(nvmlDevice_t d, nvmlTemperature_v1_t *t) {
  ENTER(nvmlDeviceGetTemperatureV, d);
  if (t->version != nvmlTemperature_v1) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  if (t->sensorType != 0) return NVML_ERROR_INVALID_ARGUMENT;
  t->temperature = g->temp;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetClockInfo(nvmlDevice_t d, int type, unsigned int *mhz) {
  ENTER(nvmlDeviceGetClockInfo, d);
  switch (type) {
    case 0: *mhz = g->clk_graphics; return NVML_SUCCESS;
    case 1: *mhz = g->clk_sm; return NVML_SUCCESS;
    case 2: *mhz = g->clk_mem; return NVML_SUCCESS;
    default: return NVML_ERROR_INVALID_ARGUMENT;
  }
}

#ifndef FAKE_NVML_MINIMAL
nvmlReturn_t nvmlDeviceGetCurrentClocksEventReasons(nvmlDevice_t d, unsigned long long *r) {
  ENTER(nvmlDeviceGetCurrentClocksEventReasons, d);
  *r = g->clock_reasons;
  return NVML_SUCCESS;
}
#endif

nvmlReturn_t nvmlDeviceGetCurrentClocksThrottleReasons(nvmlDevice_t d, unsigned long long *r) {
  ENTER(nvmlDeviceGetCurrentClocksThrottleReasons, d);
  *r = g->clock_reasons;
  return NVML_SUCCESS;
}

/* ---- ECC, remapped rows ---- */

nvmlReturn_t nvmlDeviceGetEccMode(nvmlDevice_t d, unsigned int *current, unsigned int *pending) {
  ENTER(nvmlDeviceGetEccMode, d);
  *current = g->ecc_mode;
  *pending = g->ecc_mode;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetTotalEccErrors(nvmlDevice_t d, int type, int counter, unsigned long long *n) {
  ENTER(nvmlDeviceGetTotalEccErrors, d);
  if (type < 0 || type > 1 || counter < 0 || counter > 1) return NVML_ERROR_INVALID_ARGUMENT;
  if (!g->ecc_mode) return NVML_ERROR_NOT_SUPPORTED;
  *n = g->ecc[type][counter];
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetRemappedRows(nvmlDevice_t d, unsigned int *cor, unsigned int *unc,
                                       unsigned int *pending, unsigned int *failure) {
  ENTER(nvmlDeviceGetRemappedRows, d);
  *cor = g->remap_cor;
  *unc = g->remap_unc;
  *pending = g->remap_pending;
  *failure = g->remap_failure;
  return NVML_SUCCESS;
}

/* ---- processes ---- */

nvmlReturn_t nvmlDeviceGetComputeRunningProcesses_v3(nvmlDevice_t d, unsigned int *count,
                                                     nvmlProcessInfo_t *infos) {
  ENTER(nvmlDeviceGetComputeRunningProcesses_v3, d);
  if (!count) return NVML_ERROR_INVALID_ARGUMENT;
  if (*count < (unsigned int)g->nprocs) {
    *count = (unsigned int)g->nprocs;
    return NVML_ERROR_INSUFFICIENT_SIZE;
  }
  for (int i = 0; i < g->nprocs; i++) {
    infos[i].pid = g->pids[i];
    infos[i].usedGpuMemory = g->pmem[i];
    infos[i].gpuInstanceId = 0xFFFFFFFFu;
    infos[i].computeInstanceId = 0xFFFFFFFFu;
  }
  *count = (unsigned int)g->nprocs;
  return NVML_SUCCESS;
}

/* ---- field values (GH200 module power) ---- */

nvmlReturn_t nvmlDeviceGetFieldValues(nvmlDevice_t d, int n, nvmlFieldValue_t *values) {
  ENTER(nvmlDeviceGetFieldValues, d);
  for (int i = 0; i < n; i++) {
    nvmlFieldValue_t *v = &values[i];
    v->timestamp = now_ms() * 1000;
    v->latencyUsec = 3;
    v->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
    if (v->fieldId != 185 && v->fieldId != 186) continue;
    if (v->scopeId == 0) {
      v->valueType = 1;
      v->value.uiVal = g->power;
      v->nvmlReturn = NVML_SUCCESS;
    } else if (v->scopeId == 1 && g->module_power_set) {
      v->valueType = 1;
      v->value.uiVal = g->module_power;
      v->nvmlReturn = NVML_SUCCESS;
    }
  }
  return NVML_SUCCESS;
}

/* ---- GPM ---- */

#ifndef FAKE_NVML_MINIMAL
nvmlReturn_t nvmlGpmQueryDeviceSupport(nvmlDevice_t d, nvmlGpmSupport_t *s) {
  ENTER(nvmlGpmQueryDeviceSupport, d);
  if (s->version != 1) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  s->isSupportedDevice = g->gpm_supported;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpmSampleAlloc(nvmlGpmSample_t *s) {
  ENTER(nvmlGpmSampleAlloc, NULL);
  (void)g;
  *s = calloc(1, sizeof(struct nvmlGpmSample_st));
  return *s ? NVML_SUCCESS : NVML_ERROR_UNKNOWN;
}

nvmlReturn_t nvmlGpmSampleFree(nvmlGpmSample_t s) {
  pthread_once(&once, init_once);
  free(s);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpmSampleGet(nvmlDevice_t d, nvmlGpmSample_t s) {
  ENTER(nvmlGpmSampleGet, d);
  if (!s) return NVML_ERROR_INVALID_ARGUMENT;
  s->dev = d->index;
  s->t_ms = now_ms();
  s->filled = 1;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlGpmMetricsGet(nvmlGpmMetricsGet_t *m) {
  ENTER(nvmlGpmMetricsGet, NULL);
  if (m->version != 1) return NVML_ERROR_ARGUMENT_VERSION_MISMATCH;
  nvmlGpmSample_t a = m->sample1, b = m->sample2;
  if (!a || !b || !a->filled || !b->filled || a->dev != b->dev) return NVML_ERROR_INVALID_ARGUMENT;
  if (m->numMetrics > FAKE_GPM_METRIC_MAX) return NVML_ERROR_INVALID_ARGUMENT;
  /* Stricter than the driver, to pin down the agent's rule: samples > gpm.min_gap_ms apart. */
  if (b->t_ms - a->t_ms < gpm_min_gap_ms) return NVML_ERROR_INVALID_ARGUMENT;
  g = &gpus[a->dev];
  if (g->lost) return NVML_ERROR_GPU_IS_LOST;
  for (unsigned int i = 0; i < m->numMetrics; i++) {
    nvmlGpmMetric_t *x = &m->metrics[i];
    x->nvmlReturn = NVML_SUCCESS;
    if (x->metricId == 2) x->value = g->gpm_sm;
    else if (x->metricId == 3) x->value = g->gpm_occ;
    else x->nvmlReturn = NVML_ERROR_NOT_SUPPORTED;
  }
  return NVML_SUCCESS;
}
#endif

/* ---- events (XID) ---- */

nvmlReturn_t nvmlEventSetCreate(nvmlEventSet_t *set) {
  ENTER(nvmlEventSetCreate, NULL);
  (void)g;
  *set = calloc(1, sizeof(struct nvmlEventSet_st));
  __atomic_add_fetch(&stat_sets, 1, __ATOMIC_RELAXED);
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceRegisterEvents(nvmlDevice_t d, unsigned long long types, nvmlEventSet_t set) {
  ENTER(nvmlDeviceRegisterEvents, d);
  (void)g;
  if (!set) return NVML_ERROR_INVALID_ARGUMENT;
  set->mask[d->index] |= types;
  return NVML_SUCCESS;
}

nvmlReturn_t nvmlEventSetWait_v2(nvmlEventSet_t set, nvmlEventData_t *data, unsigned int timeoutms) {
  ENTER(nvmlEventSetWait_v2, NULL);
  (void)g;
  if (!set || !data) return NVML_ERROR_INVALID_ARGUMENT;
  struct timespec deadline;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += timeoutms / 1000;
  deadline.tv_nsec += (long)(timeoutms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) { deadline.tv_sec++; deadline.tv_nsec -= 1000000000L; }
  pthread_mutex_lock(&lock);
  for (;;) {
    if (event_fail_once) {
      nvmlReturn_t r = event_fail_once;
      event_fail_once = 0;
      pthread_mutex_unlock(&lock);
      return r;
    }
    for (int i = 0; i < ngpus; i++) {
      if ((set->mask[i] & 0x8) && gpus[i].lost) {
        pthread_mutex_unlock(&lock);
        return NVML_ERROR_GPU_IS_LOST;
      }
    }
    for (int i = 0; i < queue_len; i++) {
      int dev = queue[i].dev;
      if (dev < ngpus && (set->mask[dev] & 0x8)) {
        memset(data, 0, sizeof *data);
        data->device = &devs[dev];
        data->eventType = 0x8;
        data->eventData = queue[i].xid;
        data->gpuInstanceId = 0xFFFFFFFFu;
        data->computeInstanceId = 0xFFFFFFFFu;
        memmove(&queue[i], &queue[i + 1], (size_t)(queue_len - i - 1) * sizeof queue[0]);
        queue_len--;
        pthread_mutex_unlock(&lock);
        return NVML_SUCCESS;
      }
    }
    if (pthread_cond_timedwait(&queued, &lock, &deadline) == ETIMEDOUT) {
      pthread_mutex_unlock(&lock);
      return NVML_ERROR_TIMEOUT;
    }
  }
}

nvmlReturn_t nvmlEventSetFree(nvmlEventSet_t set) {
  ENTER(nvmlEventSetFree, NULL);
  (void)g;
  free(set);
  __atomic_sub_fetch(&stat_sets, 1, __ATOMIC_RELAXED);
  return NVML_SUCCESS;
}

/* ---- legacy (unversioned) ABI: traps for a binding that forgot the versioned names ---- */

static nvmlReturn_t legacy(void) {
  __atomic_add_fetch(&stat_legacy, 1, __ATOMIC_RELAXED);
  return NVML_ERROR_UNKNOWN;
}
nvmlReturn_t nvmlInit(void) { return legacy(); }
nvmlReturn_t nvmlDeviceGetCount(unsigned int *c) { (void)c; return legacy(); }
nvmlReturn_t nvmlDeviceGetHandleByIndex(unsigned int i, nvmlDevice_t *d) { (void)i; (void)d; return legacy(); }
nvmlReturn_t nvmlDeviceGetPciInfo(nvmlDevice_t d, void *p) { (void)d; (void)p; return legacy(); }
nvmlReturn_t nvmlDeviceGetComputeRunningProcesses(nvmlDevice_t d, unsigned int *c, void *p) {
  (void)d; (void)c; (void)p; return legacy();
}
nvmlReturn_t nvmlEventSetWait(nvmlEventSet_t s, void *e, unsigned int t) { (void)s; (void)e; (void)t; return legacy(); }
