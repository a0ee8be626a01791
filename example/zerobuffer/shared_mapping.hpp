// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_SHARED_MAPPING_HPP
#define ZEROBUFFER_TOOL_SHARED_MAPPING_HPP

// Memory that a process and the children it forks afterwards share: the
// floors of `bench` keep their lines and rings in one, so that they cost what
// shared memory costs without a name to create and clean up.

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

#include <sys/mman.h>

namespace zerobuffer::tool::bench {

/// `size` zeroed bytes of an anonymous shared mapping (page-aligned), unmapped
/// when destroyed. Throws `std::runtime_error` when mmap fails.
class shared_mapping {
public:
    explicit shared_mapping(std::size_t size) : size_(size)
    {
        void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
        }
        memory_ = p;
    }
    shared_mapping(const shared_mapping&) = delete;
    shared_mapping& operator=(const shared_mapping&) = delete;
    ~shared_mapping() { ::munmap(memory_, size_); }

    void* get() const noexcept { return memory_; }
    std::size_t size() const noexcept { return size_; }

private:
    void* memory_;
    std::size_t size_;
};

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_SHARED_MAPPING_HPP
