// libmd's SHA-256 (Debian's libmd-dev, which libedit-dev already brings): the cache's keys
// and the remote cache's content addresses. A C library of the system instead of
// swift-crypto, whose BoringSSL took a third of a fresh release build's CPU time for this
// one function.
#ifndef SEEDNB_CMESSAGEDIGEST_SHIM_H
#define SEEDNB_CMESSAGEDIGEST_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <sha2.h>

/// The SHA-256 of `count` bytes at `bytes` (which may be NULL when `count` is 0), written
/// into `hex` as 64 lower-case hex digits and a NUL.
static inline void seednb_sha256_hex(const uint8_t *bytes, size_t count, char hex[SHA256_DIGEST_STRING_LENGTH]) {
  static const uint8_t nothing = 0;
  SHA256Data(bytes != NULL ? bytes : &nothing, count, hex);
}

#endif
