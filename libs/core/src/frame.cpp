// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "reader_impl.hpp"

#include <zerobuffer/frame.hpp>

#include <utility>

namespace zerobuffer {

frame::frame(detail::reader_impl* owner, const std::byte* data, std::size_t size,
             std::uint64_t sequence, std::uint64_t ticket) noexcept
    : owner_(owner), data_(data), size_(size), sequence_(sequence), ticket_(ticket)
{
}

frame::frame(frame&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)), sequence_(std::exchange(other.sequence_, 0)),
      ticket_(std::exchange(other.ticket_, 0))
{
}

frame& frame::operator=(frame&& other) noexcept
{
    if (this != &other) {
        release();
        owner_ = std::exchange(other.owner_, nullptr);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        sequence_ = std::exchange(other.sequence_, 0);
        ticket_ = std::exchange(other.ticket_, 0);
    }
    return *this;
}

frame::~frame()
{
    release();
}

void frame::release() noexcept
{
    if (detail::reader_impl* owner = std::exchange(owner_, nullptr)) {
        owner->release(ticket_); // may be the owner's last act
    }
    data_ = nullptr;
    size_ = 0;
    sequence_ = 0;
    ticket_ = 0;
}

} // namespace zerobuffer
