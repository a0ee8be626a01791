// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_RAW_SEGMENT_HPP
#define ZEROBUFFER_TEST_SUPPORT_RAW_SEGMENT_HPP

// A test's own mapping of a live buffer's segment, to look at or damage the
// bytes a peer would see.

#include "naming.hpp" // unique_name, for the users of this header

#include <zerobuffer/protocol/oieb.hpp>
#include <zerobuffer/resources.hpp>

#include <boost/interprocess/mapped_region.hpp>
#include <boost/interprocess/shared_memory_object.hpp>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace zerobuffer::test {

class raw_segment {
public:
    explicit raw_segment(const std::string& buffer_name)
        : object_(boost::interprocess::open_only, names_of(buffer_name).segment.c_str(),
                  boost::interprocess::read_write),
          region_(object_, boost::interprocess::read_write)
    {
    }

    std::byte* data() const { return static_cast<std::byte*>(region_.get_address()); }
    std::size_t size() const { return region_.get_size(); }
    protocol::oieb_ref oieb() const { return protocol::oieb_ref(data()); }
    std::byte* ring(std::uint64_t metadata_size) const
    {
        return data() + protocol::oieb_size + metadata_size;
    }
    void put_u64(std::size_t offset, std::uint64_t v) const { std::memcpy(data() + offset, &v, 8); }
    void put_u32(std::size_t offset, std::uint32_t v) const { std::memcpy(data() + offset, &v, 4); }

private:
    boost::interprocess::shared_memory_object object_;
    boost::interprocess::mapped_region region_;
};

/// True when [p, p + n) lies inside a mapping of /dev/shm/NAME of this process.
inline bool inside_shm_mapping(const void* p, std::size_t n, const std::string& buffer_name)
{
    std::ifstream maps("/proc/self/maps");
    const std::string file = "/dev/shm/" + buffer_name;
    const auto addr = reinterpret_cast<std::uintptr_t>(p);
    std::string line;
    while (std::getline(maps, line)) {
        if (line.size() < file.size() ||
            line.compare(line.size() - file.size(), file.size(), file) != 0) {
            continue;
        }
        std::uintptr_t lo = 0;
        std::uintptr_t hi = 0;
        char dash = 0;
        std::istringstream in(line);
        in >> std::hex >> lo >> dash >> hi;
        if (addr >= lo && addr + n <= hi) {
            return true;
        }
    }
    return false;
}

} // namespace zerobuffer::test

#endif // ZEROBUFFER_TEST_SUPPORT_RAW_SEGMENT_HPP
