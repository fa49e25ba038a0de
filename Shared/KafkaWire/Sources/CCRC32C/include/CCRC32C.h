#ifndef CCRC32C_H
#define CCRC32C_H
#include <stddef.h>
#include <stdint.h>

/// Extends a CRC32C (Castagnoli) checksum over `length` bytes. Start with crc = 0.
/// Uses the SSE4.2 crc32 instruction when the CPU has it, slicing-by-8 tables otherwise.
uint32_t kafkawire_crc32c(uint32_t crc, const void *bytes, size_t length);

/// The same checksum computed with the table only (for tests comparing both paths).
uint32_t kafkawire_crc32c_software(uint32_t crc, const void *bytes, size_t length);

#endif
