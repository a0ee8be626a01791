// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_SRC_URING_SLEEPER_HPP
#define ZEROBUFFER_ASIO_SRC_URING_SLEEPER_HPP

// The io_uring backend of the wait_service: each sleep is an
// IORING_OP_FUTEX_WAIT (Linux 6.7+) on the futex word of the semaphore,
// linked to an IORING_OP_LINK_TIMEOUT at the deadline, on a ring of the
// io_context whose fd is watched by the context's reactor. The sleeps are
// submitted, their completions reaped and the `done` callbacks called on the
// context's threads (uring_sleeps.hpp; the ring itself: uring_ring.hpp).

#include "sleeper.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <memory>

namespace zerobuffer::asio::detail {

/// A sleeper on an io_uring of `ctx`, or nullptr with `ec` set when this
/// process cannot have one: io_uring missing or forbidden (ENOSYS, EPERM from
/// seccomp or kernel.io_uring_disabled, EINVAL), IORING_OP_FUTEX_WAIT not
/// supported by the kernel (ENOTSUP, from IORING_REGISTER_PROBE) or rings
/// whose geometry is not the one asked for (EPROTO).
///
/// The sleeper must be destroyed, or shut down, before the reactor of `ctx`
/// is (the wait_service's shutdown does it in time).
std::unique_ptr<sleeper> make_uring_sleeper(boost::asio::io_context& ctx,
                                            boost::system::error_code& ec);

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_SRC_URING_SLEEPER_HPP
