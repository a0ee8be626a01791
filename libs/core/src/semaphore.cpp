// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/semaphore.hpp>

#include <zerobuffer/detail/glibc_semaphore.hpp>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <limits>
#include <mutex>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>

// wait_until hands a steady_clock deadline to sem_clockwait(CLOCK_MONOTONIC):
// that is only right when steady_clock reads CLOCK_MONOTONIC. libstdc++'s does
// when _GLIBCXX_USE_CLOCK_MONOTONIC is set (always on Linux; otherwise it
// falls back to the realtime clock); libc++'s does on Linux. The test suite
// also compares the two clocks.
static_assert(std::chrono::steady_clock::is_steady);
#if defined(__GLIBCXX__) && !defined(_GLIBCXX_USE_CLOCK_MONOTONIC)
#error "zerobuffer: libstdc++'s steady_clock is not CLOCK_MONOTONIC here"
#endif
#if defined(_LIBCPP_VERSION) && defined(_LIBCPP_HAS_NO_MONOTONIC_CLOCK)
#error "zerobuffer: libc++'s steady_clock is not CLOCK_MONOTONIC here"
#endif

namespace zerobuffer::detail {

namespace {

boost::system::error_code errno_code(int e) noexcept
{
    return {e != 0 ? e : EIO, boost::system::system_category()};
}

/// `name` with its leading '/' (sem_open's names are "/x").
std::string slashed(const std::string& name)
{
    return name.starts_with('/') ? name : "/" + name;
}

/// The file glibc keeps the semaphore `/x` in: /dev/shm/sem.x.
std::string file_of(const std::string& slashed_name)
{
    return "/dev/shm/sem." + slashed_name.substr(1);
}

/// `deadline` as a CLOCK_MONOTONIC timespec: before the clock's epoch is
/// {0, 0} (long past), beyond what a time_t holds saturates to the largest
/// timespec (the kernel clamps it again: forever).
timespec to_timespec(std::chrono::steady_clock::time_point deadline) noexcept
{
    using namespace std::chrono;
    const auto since = deadline.time_since_epoch();
    if (since <= steady_clock::duration::zero()) {
        return {0, 0};
    }
    const auto secs = duration_cast<seconds>(since); // truncates: since > 0
    constexpr auto max_secs = std::numeric_limits<std::time_t>::max();
    if (secs.count() >= max_secs) {
        return {max_secs, 999'999'999};
    }
    const auto nsecs = duration_cast<nanoseconds>(since - secs).count();
    return {static_cast<std::time_t>(secs.count()), static_cast<long>(nsecs)};
}

// glibc keeps the process's semaphore mappings in a table it guards with an
// internal lock that ThreadSanitizer cannot see, so a sem_open on one thread
// and a sem_close on another (a duplex server dropping a client while the
// next one connects) look like a race on the table. Taking our own lock
// around both makes their order visible; they are rare calls, off every
// frame's path.
std::mutex& mapping_table_mutex() noexcept
{
    static std::mutex m;
    return m;
}

sem_t* open_semaphore(const char* name, int flags, mode_t mode) noexcept
{
    const std::lock_guard lock(mapping_table_mutex());
    return ::sem_open(name, flags, mode, 0U);
}

void close_semaphore(sem_t* s) noexcept
{
    const std::lock_guard lock(mapping_table_mutex());
    ::sem_close(s);
}

} // namespace

semaphore::~semaphore()
{
    if (sem_ != nullptr) {
        close_semaphore(sem_);
    }
}

semaphore::semaphore(semaphore&& other) noexcept : sem_(std::exchange(other.sem_, nullptr)) {}

semaphore& semaphore::operator=(semaphore&& other) noexcept
{
    if (this != &other) {
        if (sem_ != nullptr) {
            close_semaphore(sem_);
        }
        sem_ = std::exchange(other.sem_, nullptr);
    }
    return *this;
}

semaphore semaphore::create(const std::string& name, unsigned mode, boost::system::error_code& ec)
{
    ec = {};
    const std::string n = slashed(name);
    sem_t* s = open_semaphore(n.c_str(), O_CREAT | O_EXCL, static_cast<mode_t>(mode));
    if (s == SEM_FAILED) {
        ec = errno_code(errno);
        return {};
    }
    // sem_open applies the umask; set the mode we were asked for on the file
    // glibc keeps the semaphore in (it has no fd to fchmod).
    if (::chmod(file_of(n).c_str(), static_cast<mode_t>(mode)) != 0) {
        ec = errno_code(errno);
        close_semaphore(s);
        ::sem_unlink(n.c_str());
        return {};
    }
    return semaphore(s);
}

semaphore semaphore::open(const std::string& name, boost::system::error_code& ec)
{
    ec = {};
    sem_t* s = open_semaphore(slashed(name).c_str(), 0, 0);
    if (s == SEM_FAILED) {
        ec = errno_code(errno);
        return {};
    }
    return semaphore(s);
}

bool semaphore::remove(const std::string& name) noexcept
{
    try {
        return ::sem_unlink(slashed(name).c_str()) == 0;
    } catch (...) { // the string's allocation
        return false;
    }
}

void semaphore::post(boost::system::error_code& ec) noexcept
{
    if (sem_ == nullptr) {
        ec = errno_code(EBADF);
        return;
    }
    ec = ::sem_post(sem_) == 0 ? boost::system::error_code{} : errno_code(errno);
}

bool semaphore::try_wait() noexcept
{
    if (sem_ == nullptr) {
        return false;
    }
    for (;;) {
        if (::sem_trywait(sem_) == 0) {
            return true;
        }
        if (errno != EINTR) {
            return false; // EAGAIN: no token
        }
    }
}

std::uint64_t semaphore::try_take(std::uint64_t max) noexcept
{
    if (sem_ == nullptr) {
        return 0;
    }
    std::uint64_t taken = 0;
#if ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT
    if (semaphore_layout_as_expected()) {
        // A semaphore holds at most SEM_VALUE_MAX (< 2^32): takes of 32 bits,
        // repeated only while each took all it asked for.
        while (taken < max) {
            const auto ask = static_cast<std::uint32_t>(
                std::min<std::uint64_t>(max - taken, std::numeric_limits<std::uint32_t>::max()));
            const std::uint32_t got = glibc_semaphore(sem_).try_take(ask);
            taken += got;
            if (got < ask) {
                break;
            }
        }
        return taken;
    }
#endif
    while (taken < max && try_wait()) {
        ++taken;
    }
    return taken;
}

bool semaphore::timed_wait(std::chrono::nanoseconds timeout) noexcept
{
    using clock = std::chrono::steady_clock;
    if (timeout <= std::chrono::nanoseconds::zero()) {
        return try_wait();
    }
    const auto now = clock::now();
    const auto deadline = timeout >= clock::time_point::max() - now
                              ? clock::time_point::max()
                              : now + std::chrono::duration_cast<clock::duration>(timeout);
    return wait_until(deadline);
}

bool semaphore::wait_until(std::chrono::steady_clock::time_point deadline) noexcept
{
    if (sem_ == nullptr) {
        return false;
    }
    // An absolute deadline: a retry after a signal keeps it.
    const timespec abs = to_timespec(deadline);
    for (;;) {
        if (::sem_clockwait(sem_, CLOCK_MONOTONIC, &abs) == 0) {
            return true;
        }
        if (errno != EINTR) {
            return false; // ETIMEDOUT (or EINVAL)
        }
    }
}

} // namespace zerobuffer::detail
