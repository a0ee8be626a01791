// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_SRC_URING_RING_HPP
#define ZEROBUFFER_ASIO_SRC_URING_RING_HPP

// One io_uring instance over the raw system calls (Debian bookworm's liburing
// 2.3 has no futex helpers): setup, the three mappings, and the SQ and CQ as
// the kernel shares them. The rings' indices live in memory the kernel (and
// any process that inherited the fd) writes, so every index read from there
// is bounded before it is used and every slot address is masked with the
// mask this process checked at setup, never with one read again later.
//
// Not thread-safe: the owner serializes every call (uring_sleeps' mutex).

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>

#include <linux/io_uring.h>
#include <sys/types.h>

namespace zerobuffer::asio::detail {

// What the 6.1 uapi headers of Debian bookworm lack (include/uapi/linux/
// io_uring.h and futex.h, io_uring/futex.c of Linux 6.7+).
namespace uring {
/// IORING_OP_FUTEX_WAIT (after IORING_OP_WAITID, 50).
inline constexpr std::uint8_t op_futex_wait = 51;
/// futex2 flags, passed in sqe->fd: a 32-bit futex word ...
inline constexpr std::uint32_t futex2_size_u32 = 0x02;
/// ... of this process only (without it the shared key is used).
inline constexpr std::uint32_t futex2_private = 128;
/// sqe->addr3 of a wait: any waker's bitset matches.
inline constexpr std::uint64_t futex_bitset_match_any = 0xffffffffU;
} // namespace uring

/// One mmap of a ring, unmapped on destruction.
class uring_mapping {
public:
    uring_mapping() noexcept = default;
    uring_mapping(const uring_mapping&) = delete;
    uring_mapping& operator=(const uring_mapping&) = delete;
    ~uring_mapping() { reset(); }

    /// Maps `size` bytes of the ring `fd` at `offset`; false with errno.
    bool map(int fd, std::size_t size, off_t offset) noexcept;

    unsigned char* get() const noexcept { return base_; }
    std::size_t size() const noexcept { return size_; }

private:
    void reset() noexcept;

    unsigned char* base_ = nullptr;
    std::size_t size_ = 0;
};

class uring_ring {
public:
    uring_ring() noexcept = default;
    uring_ring(const uring_ring&) = delete;
    uring_ring& operator=(const uring_ring&) = delete;
    /// Closes the fd unless `release_fd()` handed it on; unmaps the rings.
    ~uring_ring();

    /// Sets up a ring of `sq_entries` SQEs and (at least, clamped) `cq_entries`
    /// CQEs that can wait on futexes: false with `ec` when io_uring is missing
    /// or forbidden (ENOSYS; EPERM from seccomp or kernel.io_uring_disabled),
    /// when the kernel lacks IORING_OP_FUTEX_WAIT, LINK_TIMEOUT, ASYNC_CANCEL
    /// or IORING_FEAT_NODROP and SUBMIT_STABLE (ENOTSUP), or when the rings' geometry is not the
    /// one asked for (EPROTO).
    bool open(unsigned sq_entries, unsigned cq_entries, boost::system::error_code& ec);

    /// The ring's fd, for the reactor.
    int fd() const noexcept { return fd_; }
    /// The caller owns the fd from now on (a stream_descriptor closes it).
    int release_fd() noexcept;
    /// The owner closed the fd: no more system calls.
    void forget_fd() noexcept { fd_ = -1; }

    /// How many SQEs `next_sqe()` can hand out before the next `submit()`.
    std::uint32_t sq_space() const noexcept
    {
        return sq_entries_ - (sq_tail_local_ - sq_submitted_);
    }

    /// A zeroed SQE to fill, or null when the SQ is full. Handed to the kernel
    /// by the next `submit()`.
    io_uring_sqe* next_sqe() noexcept;

    /// Hands the SQEs got since the last submit to the kernel; returns how
    /// many it took, in order. The ones it did not take (ENOMEM, EAGAIN,
    /// EBUSY, ...) are taken back, so the SQ is empty between calls: nobody
    /// else submits to this ring (the owner's lock; no SQPOLL).
    std::uint32_t submit() noexcept;

    /// Takes the oldest CQE off the CQ into `out`; false when there is none
    /// (after moving CQEs that overflowed into the kernel's list, if any,
    /// into the CQ: IORING_FEAT_NODROP).
    bool pop_cqe(io_uring_cqe& out) noexcept;

    /// Cancels every request in flight and returns when none of them waits
    /// any more (IORING_REGISTER_SYNC_CANCEL, Linux 6.0+): a futex wait that
    /// is gone can no longer take a sem_post's wake-up. Their CQEs follow.
    bool cancel_all_now() noexcept;

private:
    bool map_rings(const io_uring_params& params, boost::system::error_code& ec);

    uring_mapping sq_ring_;
    uring_mapping cq_ring_; // unused with IORING_FEAT_SINGLE_MMAP
    uring_mapping sqes_map_;

    // In the shared mappings. The SQ head is never read: the SQ is empty
    // between submits and, with IORING_FEAT_SUBMIT_STABLE, the kernel is done
    // with an SQE once io_uring_enter returns, so our own count says which
    // slots are free.
    std::uint32_t* sq_tail_ = nullptr;
    std::uint32_t* sq_flags_ = nullptr;
    std::uint32_t* cq_head_ = nullptr;
    std::uint32_t* cq_tail_ = nullptr;
    io_uring_sqe* sqes_ = nullptr;
    io_uring_cqe* cqes_ = nullptr;

    // Checked at setup and kept here, out of the kernel's (and other
    // processes') reach.
    std::uint32_t sq_entries_ = 0;
    std::uint32_t sq_mask_ = 0;
    std::uint32_t cq_entries_ = 0;
    std::uint32_t cq_mask_ = 0;

    std::uint32_t sq_tail_local_ = 0; // ours; *sq_tail_ is what the kernel sees
    std::uint32_t sq_submitted_ = 0;  // the tail at the end of the last submit
    std::uint32_t cq_head_local_ = 0; // ours; *cq_head_ is what the kernel sees
    int fd_ = -1;
    bool owns_fd_ = false;
};

} // namespace zerobuffer::asio::detail

#endif // ZEROBUFFER_ASIO_SRC_URING_RING_HPP
