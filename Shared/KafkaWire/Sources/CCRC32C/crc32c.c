#include "CCRC32C.h"
#include <string.h>

// Reflected Castagnoli polynomial, as Kafka's RecordBatch v2 uses (KIP-98).
#define POLY 0x82F63B78u

static uint32_t table[8][256];
static int have_sse42 = -1;

static void build_tables(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ POLY : crc >> 1;
        table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = table[0][crc & 0xff] ^ (crc >> 8);
            table[k][n] = crc;
        }
    }
}

static void init_once(void) {
    // Races here are benign: every thread computes the same values.
    if (have_sse42 >= 0) return;
    build_tables();
#if defined(__x86_64__)
    __builtin_cpu_init();
    have_sse42 = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#else
    have_sse42 = 0;
#endif
}

uint32_t kafkawire_crc32c_software(uint32_t crc, const void *bytes, size_t length) {
    init_once();
    const uint8_t *p = bytes;
    crc = ~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        uint32_t lo = (uint32_t)word ^ crc, hi = (uint32_t)(word >> 32);
        crc = table[7][lo & 0xff] ^ table[6][(lo >> 8) & 0xff] ^ table[5][(lo >> 16) & 0xff] ^ table[4][lo >> 24] ^
              table[3][hi & 0xff] ^ table[2][(hi >> 8) & 0xff] ^ table[1][(hi >> 16) & 0xff] ^ table[0][hi >> 24];
        p += 8;
        length -= 8;
    }
    while (length--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_hardware(uint32_t crc, const void *bytes, size_t length) {
    const uint8_t *p = bytes;
    uint64_t c = ~crc;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        length -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (length--) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return ~c32;
}
#endif

uint32_t kafkawire_crc32c(uint32_t crc, const void *bytes, size_t length) {
    init_once();
#if defined(__x86_64__)
    if (have_sse42) return crc32c_hardware(crc, bytes, length);
#endif
    return kafkawire_crc32c_software(crc, bytes, length);
}
