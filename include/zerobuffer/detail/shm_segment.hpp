// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DETAIL_SHM_SEGMENT_HPP
#define ZEROBUFFER_DETAIL_SHM_SEGMENT_HPP

#include <zerobuffer/detail/liveness.hpp>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

namespace zerobuffer::detail {

/// A mapped POSIX shared-memory segment (Boost.Interprocess). Move-only; the
/// mapping lives as long as the object. Removing the name is separate.
class shm_segment {
public:
    shm_segment() = default;

    /// Creates `/name` exclusively with exactly `mode` (umask ignored), sized
    /// `size` bytes, its memory reserved up front (a full /dev/shm is ENOSPC
    /// here, never a SIGBUS later), mapped read-write. Fresh memory is zero.
    static shm_segment create(const std::string& name, std::uint64_t size, unsigned mode,
                              boost::system::error_code& ec);

    /// Opens and maps an existing `/name` read-write (or read-only). A segment
    /// of size 0 (its creator has not sized it yet) opens unmapped, size() 0.
    static shm_segment open(const std::string& name, bool read_only, boost::system::error_code& ec);

    /// Unlinks `/name`; false when it did not exist or could not be removed.
    static bool remove(const std::string& name) noexcept;

    std::byte* data() const noexcept { return static_cast<std::byte*>(region_.get_address()); }
    std::uint64_t size() const noexcept { return region_.get_size(); }
    bool is_mapped() const noexcept { return region_.get_address() != nullptr; }

    /// False once the name was unlinked (the reader closed, or a new reader
    /// replaced a dead one's segment): nobody will read this mapping again.
    bool is_linked() const noexcept;

    /// Owner and mode of the segment (zeros when it cannot be read).
    file_access access() const noexcept;

private:
    boost::interprocess::shared_memory_object object_;
    boost::interprocess::mapped_region region_;
};

} // namespace zerobuffer::detail

#endif // ZEROBUFFER_DETAIL_SHM_SEGMENT_HPP
