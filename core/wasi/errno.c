/* errno.c: the one table from host errno to WASI errno, and the WASI errno names. */
#include <errno.h>

#include "wasi_abi.h"

/* Host errno -> WASI errno. Indexed by the host value; 0 (a hole) = EIO. */
static const uint8_t host_to_wasi[] = {
    [E2BIG] = WT_E2BIG,
    [EACCES] = WT_EACCES,
    [EADDRINUSE] = WT_EADDRINUSE,
    [EADDRNOTAVAIL] = WT_EADDRNOTAVAIL,
    [EAFNOSUPPORT] = WT_EAFNOSUPPORT,
    [EAGAIN] = WT_EAGAIN,
    [EALREADY] = WT_EALREADY,
    [EBADF] = WT_EBADF,
    [EBADMSG] = WT_EBADMSG,
    [EBUSY] = WT_EBUSY,
    [ECANCELED] = WT_ECANCELED,
    [ECHILD] = WT_ECHILD,
    [ECONNABORTED] = WT_ECONNABORTED,
    [ECONNREFUSED] = WT_ECONNREFUSED,
    [ECONNRESET] = WT_ECONNRESET,
    [EDEADLK] = WT_EDEADLK,
    [EDESTADDRREQ] = WT_EDESTADDRREQ,
    [EDOM] = WT_EDOM,
    [EDQUOT] = WT_EDQUOT,
    [EEXIST] = WT_EEXIST,
    [EFAULT] = WT_EFAULT,
    [EFBIG] = WT_EFBIG,
    [EHOSTUNREACH] = WT_EHOSTUNREACH,
    [EIDRM] = WT_EIDRM,
    [EILSEQ] = WT_EILSEQ,
    [EINPROGRESS] = WT_EINPROGRESS,
    [EINTR] = WT_EINTR,
    [EINVAL] = WT_EINVAL,
    [EIO] = WT_EIO,
    [EISCONN] = WT_EISCONN,
    [EISDIR] = WT_EISDIR,
    [ELOOP] = WT_ELOOP,
    [EMFILE] = WT_EMFILE,
    [EMLINK] = WT_EMLINK,
    [EMSGSIZE] = WT_EMSGSIZE,
    [EMULTIHOP] = WT_EMULTIHOP,
    [ENAMETOOLONG] = WT_ENAMETOOLONG,
    [ENETDOWN] = WT_ENETDOWN,
    [ENETRESET] = WT_ENETRESET,
    [ENETUNREACH] = WT_ENETUNREACH,
    [ENFILE] = WT_ENFILE,
    [ENOBUFS] = WT_ENOBUFS,
    [ENODEV] = WT_ENODEV,
    [ENOENT] = WT_ENOENT,
    [ENOEXEC] = WT_ENOEXEC,
    [ENOLCK] = WT_ENOLCK,
    [ENOLINK] = WT_ENOLINK,
    [ENOMEM] = WT_ENOMEM,
    [ENOMSG] = WT_ENOMSG,
    [ENOPROTOOPT] = WT_ENOPROTOOPT,
    [ENOSPC] = WT_ENOSPC,
    [ENOSYS] = WT_ENOSYS,
    [ENOTCONN] = WT_ENOTCONN,
    [ENOTDIR] = WT_ENOTDIR,
    [ENOTEMPTY] = WT_ENOTEMPTY,
    [ENOTRECOVERABLE] = WT_ENOTRECOVERABLE,
    [ENOTSOCK] = WT_ENOTSOCK,
    [ENOTSUP] = WT_ENOTSUP,
    [ENOTTY] = WT_ENOTTY,
    [ENXIO] = WT_ENXIO,
    [EOVERFLOW] = WT_EOVERFLOW,
    [EOWNERDEAD] = WT_EOWNERDEAD,
    [EPERM] = WT_EPERM,
    [EPIPE] = WT_EPIPE,
    [EPROTO] = WT_EPROTO,
    [EPROTONOSUPPORT] = WT_EPROTONOSUPPORT,
    [EPROTOTYPE] = WT_EPROTOTYPE,
    [ERANGE] = WT_ERANGE,
    [EROFS] = WT_EROFS,
    [ESPIPE] = WT_ESPIPE,
    [ESRCH] = WT_ESRCH,
    [ESTALE] = WT_ESTALE,
    [ETIMEDOUT] = WT_ETIMEDOUT,
    [ETXTBSY] = WT_ETXTBSY,
    [EXDEV] = WT_EXDEV,
};

static const char *const names[] = {
#define WT_X_NAME(name, value) [value] = #name,
    WT_WASI_ERRNO_LIST(WT_X_NAME)
#undef WT_X_NAME
};

uint16_t wt_wasi_errno(int host_errno)
{
	unsigned e = (unsigned)(host_errno < 0 ? -host_errno : host_errno);

	if (e == 0)
		return WT_ESUCCESS;
	if (e == WT_HOST_ESCAPE)
		return WT_ENOTCAPABLE;
	if (e >= sizeof host_to_wasi || host_to_wasi[e] == 0)
		return WT_EIO;
	return host_to_wasi[e];
}

const char *wt_wasi_errno_name(unsigned e)
{
	return e < sizeof names / sizeof names[0] ? names[e] : "?";
}
