// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/semaphore.hpp>

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/permissions.hpp>

#include <string_view>
#include <sys/stat.h>

namespace bip = boost::interprocess;

namespace zerobuffer::detail {

namespace {
boost::system::error_code to_error_code(const bip::interprocess_exception& e)
{
    const int native = e.get_native_error();
    return {native != 0 ? native : EIO, boost::system::system_category()};
}
} // namespace

semaphore semaphore::create(const std::string& name, unsigned mode, boost::system::error_code& ec)
{
    ec = {};
    semaphore s;
    try {
        s.sem_ = std::make_unique<bip::named_semaphore>(bip::create_only, name.c_str(), 0,
                                                        bip::permissions(mode));
    } catch (const bip::interprocess_exception& e) {
        ec = to_error_code(e);
        return {};
    }
    // sem_open applies the umask; set the mode we were asked for on the file
    // glibc keeps the semaphore in.
    const std::string_view bare = std::string_view(name).substr(name.starts_with('/') ? 1 : 0);
    const std::string file = "/dev/shm/sem." + std::string(bare);
    if (::chmod(file.c_str(), static_cast<mode_t>(mode)) != 0) {
        ec = {errno, boost::system::system_category()};
        s.sem_.reset();
        remove(name);
        return {};
    }
    return s;
}

semaphore semaphore::open(const std::string& name, boost::system::error_code& ec)
{
    ec = {};
    semaphore s;
    try {
        s.sem_ = std::make_unique<bip::named_semaphore>(bip::open_only, name.c_str());
    } catch (const bip::interprocess_exception& e) {
        ec = to_error_code(e);
        return {};
    }
    return s;
}

bool semaphore::remove(const std::string& name) noexcept
{
    return bip::named_semaphore::remove(name.c_str());
}

void semaphore::post(boost::system::error_code& ec) noexcept
{
    ec = {};
    try {
        sem_->post();
    } catch (const bip::interprocess_exception& e) {
        ec = to_error_code(e);
    }
}

bool semaphore::try_wait() noexcept
{
    try {
        return sem_->try_wait();
    } catch (const bip::interprocess_exception&) {
        return false;
    }
}

bool semaphore::timed_wait(std::chrono::nanoseconds timeout) noexcept
{
    // The semaphore's clock is the realtime clock; callers keep their own
    // deadlines on the steady clock and wait in short slices, so a clock jump
    // distorts one slice at most.
    const auto deadline = std::chrono::system_clock::now() + timeout;
    try {
        return sem_->timed_wait(deadline);
    } catch (const bip::interprocess_exception&) {
        return false;
    }
}

} // namespace zerobuffer::detail
