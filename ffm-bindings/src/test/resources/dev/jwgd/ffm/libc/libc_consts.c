/* Prints the constants of dev.jwgd.ffm.libc.Libc as the C headers define them, for LibcHeadersTest. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#define C(x) printf("%s %lld\n", #x, (long long)(x))

int main(void) {
	C(O_RDONLY); C(O_WRONLY); C(O_RDWR); C(O_NONBLOCK); C(O_CLOEXEC); C(F_GETFL); C(F_SETFL);
	C(POLLIN); C(POLLOUT); C(POLLERR); C(POLLHUP);
	C(EFD_CLOEXEC); C(EFD_NONBLOCK);
	C(PROT_READ); C(PROT_WRITE); C(MAP_SHARED); C(MAP_PRIVATE); C(MAP_ANONYMOUS); C(MAP_POPULATE);
	printf("MAP_FAILED %lld\n", (long long)(long)MAP_FAILED);
	return 0;
}
