/* Test shim for Wine 8.0 (Debian 12), which lacks bcryptprimitives.dll: Rust's std
 * (1.78+) takes its random numbers (HashMap seeds) from ProcessPrng there, which every
 * Windows 10 and later has. Built and used by dist/test-wine.sh only; never shipped. */
#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n; len -= n;
    }
    return TRUE;
}
