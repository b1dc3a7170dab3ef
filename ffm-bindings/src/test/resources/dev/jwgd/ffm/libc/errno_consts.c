/* Prints the errno values of dev.jwgd.ffm.Errno as <errno.h> defines them, for LibcHeadersTest. */
#include <errno.h>
#include <stdio.h>

#define C(x) printf("%s %lld\n", #x, (long long)(x))

int main(void) {
	C(EPERM);
	C(ENOENT);
	C(ESRCH);
	C(EINTR);
	C(EIO);
	C(ENXIO);
	C(E2BIG);
	C(EBADF);
	C(EAGAIN);
	C(ENOMEM);
	C(EACCES);
	C(EFAULT);
	C(EBUSY);
	C(EEXIST);
	C(ENODEV);
	C(EINVAL);
	C(ENFILE);
	C(EMFILE);
	C(ENOTTY);
	C(ENOSPC);
	C(EPIPE);
	C(ERANGE);
	C(ENOSYS);
	C(ENOBUFS);
	C(ETIME);
	C(EPROTO);
	C(EBADFD);
	C(EMSGSIZE);
	C(ENOPROTOOPT);
	C(EPROTONOSUPPORT);
	C(EOPNOTSUPP);
	C(EAFNOSUPPORT);
	C(EADDRINUSE);
	C(EADDRNOTAVAIL);
	C(ENETDOWN);
	C(ENETUNREACH);
	C(ECONNREFUSED);
	C(EHOSTUNREACH);
	C(ETIMEDOUT);
	C(ECANCELED);
	return 0;
}
