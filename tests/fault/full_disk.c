/* A full disk, simulated for the tests: preloaded (LD_PRELOAD) into the
   micromeso program, it lets writes to files whose name ends in ".part" take
   MICROMESO_FULL_DISK_BYTES bytes in all, then fails them with ENOSPC, as a
   full file system does. Other files (the terminal, pipes) are untouched. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static long long written_bytes = 0;

static int is_part_file(int fd) {
  char link[64], path[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, sizeof path - 1);
  if (n < 5) return 0;
  path[n] = '\0';
  return strcmp(path + n - 5, ".part") == 0;
}

/* Whether a write of `count` bytes to `fd` finds the disk full. */
static int disk_full(int fd, size_t count) {
  const char* budget = getenv("MICROMESO_FULL_DISK_BYTES");
  if (!budget || !is_part_file(fd)) return 0;
  if (written_bytes + (long long)count > atoll(budget)) return 1;
  written_bytes += (long long)count;
  return 0;
}

ssize_t write(int fd, const void* buf, size_t count) {
  static ssize_t (*real)(int, const void*, size_t) = 0;
  if (!real) real = (ssize_t (*)(int, const void*, size_t))dlsym(RTLD_NEXT, "write");
  if (disk_full(fd, count)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  static ssize_t (*real)(int, const void*, size_t, off_t) = 0;
  if (!real) real = (ssize_t (*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
  if (disk_full(fd, count)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  static ssize_t (*real)(int, const void*, size_t, off_t) = 0;
  if (!real) real = (ssize_t (*)(int, const void*, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
  if (disk_full(fd, count)) {
    errno = ENOSPC;
    return -1;
  }
  return real(fd, buf, count, offset);
}
