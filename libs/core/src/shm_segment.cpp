// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/detail/shm_segment.hpp>

#include <boost/interprocess/exceptions.hpp>
#include <boost/interprocess/permissions.hpp>

#include <fcntl.h>
#include <sys/stat.h>

namespace bip = boost::interprocess;

namespace zerobuffer::detail {

namespace {
boost::system::error_code to_error_code(const bip::interprocess_exception& e)
{
    const int native = e.get_native_error();
    if (native != 0) {
        return {native, boost::system::system_category()};
    }
    if (e.get_error_code() == bip::already_exists_error) {
        return {EEXIST, boost::system::system_category()};
    }
    if (e.get_error_code() == bip::not_found_error) {
        return {ENOENT, boost::system::system_category()};
    }
    return {EIO, boost::system::system_category()};
}
} // namespace

shm_segment shm_segment::create(const std::string& name, std::uint64_t size, unsigned mode,
                                boost::system::error_code& ec)
{
    ec = {};
    shm_segment s;
    try {
        s.object_ = bip::shared_memory_object(bip::create_only, name.c_str(), bip::read_write,
                                              bip::permissions(mode));
        const int fd = s.object_.get_mapping_handle().handle;
        // Reserve the pages now: tmpfs allocates lazily, and a write into an
        // unbacked page of a full /dev/shm is a SIGBUS.
        if (const int err = ::posix_fallocate(fd, 0, static_cast<off_t>(size)); err != 0) {
            ec = {err, boost::system::system_category()};
            bip::shared_memory_object::remove(name.c_str());
            return {};
        }
        s.object_.truncate(static_cast<bip::offset_t>(size));
        s.region_ = bip::mapped_region(s.object_, bip::read_write);
    } catch (const bip::interprocess_exception& e) {
        ec = to_error_code(e);
        if (ec.value() != EEXIST) {
            bip::shared_memory_object::remove(name.c_str());
        }
        return {};
    }
    return s;
}

shm_segment shm_segment::open(const std::string& name, bool read_only,
                              boost::system::error_code& ec)
{
    ec = {};
    shm_segment s;
    try {
        const bip::mode_t mode = read_only ? bip::read_only : bip::read_write;
        s.object_ = bip::shared_memory_object(bip::open_only, name.c_str(), mode);
        bip::offset_t size = 0;
        if (!s.object_.get_size(size)) {
            ec = {EINVAL, boost::system::system_category()};
            return {};
        }
        if (size <= 0) {
            return s; // being created: nothing to map yet (size() == 0)
        }
        s.region_ = bip::mapped_region(s.object_, mode);
    } catch (const bip::interprocess_exception& e) {
        ec = to_error_code(e);
        return {};
    }
    return s;
}

bool shm_segment::is_linked() const noexcept
{
    struct stat st {};
    if (::fstat(object_.get_mapping_handle().handle, &st) != 0) {
        return false;
    }
    return st.st_nlink > 0;
}

file_access shm_segment::access() const noexcept
{
    struct stat st {};
    if (::fstat(object_.get_mapping_handle().handle, &st) != 0) {
        return {};
    }
    return {st.st_uid, st.st_gid, st.st_mode & 07777U};
}

bool shm_segment::remove(const std::string& name) noexcept
{
    return bip::shared_memory_object::remove(name.c_str());
}

} // namespace zerobuffer::detail
