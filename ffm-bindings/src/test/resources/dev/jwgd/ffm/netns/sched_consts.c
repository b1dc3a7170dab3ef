/* Prints the <sched.h> namespace constants of dev.jwgd.ffm.netns.sched_h and the x86_64 syscall
 * numbers of setns/unshare, for NetnsHeadersTest. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>

#define C(x) printf("%s %lld\n", #x, (long long)(x))

int main(void) {
	C(CLONE_NEWNS); C(CLONE_NEWUSER); C(CLONE_NEWNET);
	C(SYS_setns); C(SYS_unshare);
	return 0;
}
