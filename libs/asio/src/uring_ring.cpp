// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "uring_ring.hpp"

#include <boost/system/system_category.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include <linux/time_types.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace zerobuffer::asio::detail {
namespace {

// The futex wait reads sqe->fd (futex2 flags), sqe->addr (the word),
// sqe->addr2 (the expected value), sqe->addr3 (the mask) and requires
// sqe->futex_flags, the op-flags union at offset 28 (rw_flags in the old
// header), to be 0, as well as len, buf_index and file_index. The old header
// must place the fields where the kernel's does.
static_assert(offsetof(io_uring_sqe, fd) == 4);
static_assert(offsetof(io_uring_sqe, addr2) == 8);
static_assert(offsetof(io_uring_sqe, addr) == 16);
static_assert(offsetof(io_uring_sqe, len) == 24);
static_assert(offsetof(io_uring_sqe, rw_flags) == 28);
static_assert(offsetof(io_uring_sqe, user_data) == 32);
static_assert(offsetof(io_uring_sqe, addr3) == 48);
static_assert(sizeof(io_uring_sqe) == 64 && sizeof(io_uring_cqe) == 16);

int sys_io_uring_setup(unsigned entries, io_uring_params* params) noexcept
{
    return static_cast<int>(::syscall(__NR_io_uring_setup, entries, params));
}

int sys_io_uring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags) noexcept
{
    int r = 0;
    do
        r = static_cast<int>(
            ::syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, nullptr, 0));
    while (r < 0 && errno == EINTR);
    return r;
}

int sys_io_uring_register(int fd, unsigned opcode, void* arg, unsigned nr_args) noexcept
{
    return static_cast<int>(::syscall(__NR_io_uring_register, fd, opcode, arg, nr_args));
}

boost::system::error_code errno_code(int e) noexcept
{
    return {e, boost::system::system_category()};
}

/// A ring index shared with the kernel: every access is atomic, with the
/// order its side of the protocol needs (and TSan sees the order too).
std::atomic_ref<std::uint32_t> ring_index(std::uint32_t* p) noexcept
{
    return std::atomic_ref<std::uint32_t>(*p);
}

/// Whether this kernel has the operations a sleep needs. It fills the probe
/// up to min(nr, its last opcode + 1); unknown ops stay 0.
bool has_sleep_ops(int fd, boost::system::error_code& ec)
{
    constexpr unsigned probe_ops = 256;
    std::vector<std::uint64_t> storage(
        (sizeof(io_uring_probe) + probe_ops * sizeof(io_uring_probe_op) + 7) / 8, 0);
    auto* probe = reinterpret_cast<io_uring_probe*>(storage.data());
    if (sys_io_uring_register(fd, IORING_REGISTER_PROBE, probe, probe_ops) < 0) {
        ec = errno_code(errno);
        return false;
    }
    const auto supported = [&](unsigned op) {
        return op <= probe->last_op && op < probe_ops &&
               (probe->ops[op].flags & IO_URING_OP_SUPPORTED) != 0;
    };
    if (!supported(uring::op_futex_wait) || !supported(IORING_OP_LINK_TIMEOUT) ||
        !supported(IORING_OP_ASYNC_CANCEL)) {
        ec = errno_code(ENOTSUP);
        return false;
    }
    return true;
}

/// A u32 field at `offset` of a mapping of `size` bytes, or null when it
/// would not lie inside it: the offsets come from the kernel, and a pointer
/// outside the mapping is never made.
std::uint32_t* field(unsigned char* base, std::size_t size, std::uint32_t offset) noexcept
{
    if (offset % alignof(std::uint32_t) != 0 || offset > size ||
        size - offset < sizeof(std::uint32_t))
        return nullptr;
    return reinterpret_cast<std::uint32_t*>(base + offset);
}

} // namespace

bool uring_mapping::map(int fd, std::size_t size, off_t offset) noexcept
{
    // MAP_POPULATE: the rings are touched on every sleep; fault them in now.
    void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
    if (p == MAP_FAILED)
        return false;
    reset();
    base_ = static_cast<unsigned char*>(p);
    size_ = size;
    return true;
}

void uring_mapping::reset() noexcept
{
    if (base_ != nullptr)
        ::munmap(std::exchange(base_, nullptr), std::exchange(size_, 0));
}

uring_ring::~uring_ring()
{
    if (owns_fd_ && fd_ >= 0)
        ::close(fd_);
}

int uring_ring::release_fd() noexcept
{
    owns_fd_ = false;
    return fd_;
}

bool uring_ring::open(unsigned sq_entries, unsigned cq_entries, boost::system::error_code& ec)
{
    ec.clear();
    io_uring_params params{};
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP;
    params.cq_entries = cq_entries;
    fd_ = sys_io_uring_setup(sq_entries, &params);
    if (fd_ < 0) {
        ec = errno_code(errno);
        fd_ = -1;
        return false;
    }
    owns_fd_ = true;
    // NODROP: a CQE that finds the CQ full waits in the kernel instead of
    // being lost (a lost futex CQE would be a sleep that never ends).
    // SUBMIT_STABLE: the kernel has read an SQE once io_uring_enter returns.
    constexpr unsigned needed = IORING_FEAT_NODROP | IORING_FEAT_SUBMIT_STABLE;
    if ((params.features & needed) != needed) {
        ec = errno_code(ENOTSUP);
        return false;
    }
    if (!has_sleep_ops(fd_, ec) || !map_rings(params, ec))
        return false;
    return true;
}

bool uring_ring::map_rings(const io_uring_params& params, boost::system::error_code& ec)
{
    // The entry counts the kernel chose must be powers of two (the masks
    // below rely on it) and no larger than a 32-bit index can wrap over.
    const auto power_of_two = [](std::uint32_t n) { return n != 0 && (n & (n - 1)) == 0; };
    if (!power_of_two(params.sq_entries) || !power_of_two(params.cq_entries) ||
        params.sq_entries > (1U << 15) || params.cq_entries > (1U << 16)) {
        ec = errno_code(EPROTO);
        return false;
    }
    const std::size_t sq_size =
        std::size_t{params.sq_off.array} + params.sq_entries * sizeof(std::uint32_t);
    const std::size_t cq_size =
        std::size_t{params.cq_off.cqes} + params.cq_entries * sizeof(io_uring_cqe);
    const bool single = (params.features & IORING_FEAT_SINGLE_MMAP) != 0;
    if (!sq_ring_.map(fd_, single ? std::max(sq_size, cq_size) : sq_size,
                      static_cast<off_t>(IORING_OFF_SQ_RING)) ||
        (!single && !cq_ring_.map(fd_, cq_size, static_cast<off_t>(IORING_OFF_CQ_RING))) ||
        !sqes_map_.map(fd_, params.sq_entries * sizeof(io_uring_sqe),
                       static_cast<off_t>(IORING_OFF_SQES))) {
        ec = errno_code(errno);
        return false;
    }

    const uring_mapping& cq_map = single ? sq_ring_ : cq_ring_;
    unsigned char* const sq = sq_ring_.get();
    unsigned char* const cq = cq_map.get();
    const std::size_t sq_len = sq_ring_.size();
    const std::size_t cq_len = cq_map.size();
    std::uint32_t* const sq_mask = field(sq, sq_len, params.sq_off.ring_mask);
    std::uint32_t* const sq_count = field(sq, sq_len, params.sq_off.ring_entries);
    std::uint32_t* const cq_mask = field(cq, cq_len, params.cq_off.ring_mask);
    std::uint32_t* const cq_count = field(cq, cq_len, params.cq_off.ring_entries);
    sq_tail_ = field(sq, sq_len, params.sq_off.tail);
    sq_flags_ = field(sq, sq_len, params.sq_off.flags);
    cq_head_ = field(cq, cq_len, params.cq_off.head);
    cq_tail_ = field(cq, cq_len, params.cq_off.tail);
    const bool fields_inside = sq_mask && sq_count && cq_mask && cq_count && sq_tail_ &&
                               sq_flags_ && cq_head_ && cq_tail_ &&
                               params.sq_off.array % alignof(std::uint32_t) == 0 &&
                               params.cq_off.cqes % alignof(io_uring_cqe) == 0;
    // The geometry the kernel wrote into the rings must be the one it
    // returned: from here on only our copies of it are used.
    if (!fields_inside || *sq_mask != params.sq_entries - 1 || *sq_count != params.sq_entries ||
        *cq_mask != params.cq_entries - 1 || *cq_count != params.cq_entries) {
        ec = errno_code(EPROTO);
        return false;
    }
    sq_entries_ = params.sq_entries;
    sq_mask_ = params.sq_entries - 1;
    cq_entries_ = params.cq_entries;
    cq_mask_ = params.cq_entries - 1;
    sqes_ = reinterpret_cast<io_uring_sqe*>(sqes_map_.get());
    cqes_ = reinterpret_cast<io_uring_cqe*>(cq + params.cq_off.cqes);

    // SQ slot i always names SQE i: the SQEs are used in ring order, so the
    // indirection array never changes after this.
    auto* const sq_array = reinterpret_cast<std::uint32_t*>(sq + params.sq_off.array);
    for (std::uint32_t i = 0; i < sq_entries_; ++i)
        sq_array[i] = i;
    sq_tail_local_ = ring_index(sq_tail_).load(std::memory_order_relaxed);
    sq_submitted_ = sq_tail_local_;
    cq_head_local_ = ring_index(cq_head_).load(std::memory_order_relaxed);
    return true;
}

io_uring_sqe* uring_ring::next_sqe() noexcept
{
    if (sq_tail_local_ - sq_submitted_ >= sq_entries_)
        return nullptr;
    io_uring_sqe* const sqe = &sqes_[sq_tail_local_ & sq_mask_];
    std::memset(sqe, 0, sizeof *sqe);
    ++sq_tail_local_;
    return sqe;
}

std::uint32_t uring_ring::submit() noexcept
{
    const std::uint32_t queued = sq_tail_local_ - sq_submitted_;
    if (queued == 0 || fd_ < 0)
        return 0;
    // Release: the SQEs' contents are visible to the kernel before the tail
    // that hands them over.
    ring_index(sq_tail_).store(sq_tail_local_, std::memory_order_release);
    const int r = sys_io_uring_enter(fd_, queued, 0, 0);
    const std::uint32_t taken = r < 0 ? 0 : std::min(static_cast<std::uint32_t>(r), queued);
    if (taken < queued) {
        // The kernel's own head stopped after the ones it took (it reads the
        // SQ only inside io_uring_enter): move the tail back onto it.
        sq_tail_local_ = sq_submitted_ + taken;
        ring_index(sq_tail_).store(sq_tail_local_, std::memory_order_release);
    }
    sq_submitted_ = sq_tail_local_;
    return taken;
}

bool uring_ring::pop_cqe(io_uring_cqe& out) noexcept
{
    for (bool flushed = false;; flushed = true) {
        // Acquire: the CQEs the kernel wrote before it moved the tail are
        // visible.
        const std::uint32_t tail = ring_index(cq_tail_).load(std::memory_order_acquire);
        const std::uint32_t ready = tail - cq_head_local_;
        if (ready > cq_entries_) {
            // More than a ring's worth: not written by the kernel. Skip to
            // the tail rather than read slots that were never filled.
            cq_head_local_ = tail;
            ring_index(cq_head_).store(cq_head_local_, std::memory_order_release);
            return false;
        }
        if (ready != 0) {
            std::memcpy(&out, &cqes_[cq_head_local_ & cq_mask_], sizeof out);
            // Release: the CQE is read before its slot is given back.
            ring_index(cq_head_).store(++cq_head_local_, std::memory_order_release);
            return true;
        }
        // CQEs that did not fit wait in the kernel (IORING_FEAT_NODROP);
        // io_uring_enter(GETEVENTS) moves them into the CQ.
        const bool overflowed =
            (ring_index(sq_flags_).load(std::memory_order_acquire) & IORING_SQ_CQ_OVERFLOW) != 0;
        if (flushed || !overflowed || fd_ < 0 ||
            sys_io_uring_enter(fd_, 0, 0, IORING_ENTER_GETEVENTS) < 0)
            return false;
    }
}

bool uring_ring::cancel_all_now() noexcept
{
    if (fd_ < 0)
        return false;
    io_uring_sync_cancel_reg reg{};
    reg.fd = -1;
    reg.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
    // Relative. A futex wait is unqueued at once; the bound is for a request
    // the kernel reports busy (-EALREADY), which none of ours should be.
    reg.timeout.tv_sec = 1;
    reg.timeout.tv_nsec = 0;
    int r = 0;
    do
        r = sys_io_uring_register(fd_, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
    while (r < 0 && errno == EINTR);
    return r >= 0 || errno == ENOENT;
}

} // namespace zerobuffer::asio::detail
