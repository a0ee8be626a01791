// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include <zerobuffer/protocol/release_order.hpp>

namespace zerobuffer::protocol {

std::uint64_t release_order::push(std::uint64_t bytes, bool is_frame, bool released)
{
    if (size_ == items_.size()) {
        grow();
    }
    const std::uint64_t ticket = first_ticket_ + size_;
    ++size_;
    bytes_ += bytes;
    at(ticket) = item{bytes, is_frame, released};
    return ticket;
}

void release_order::grow()
{
    // Only while more frames are held than ever before: steady streaming
    // reuses the slots and allocates nothing.
    std::vector<item> bigger(items_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) {
        bigger[i] = items_[(head_ + i) & (items_.size() - 1)];
    }
    items_.swap(bigger);
    head_ = 0;
}

release_order::returned release_order::release(std::uint64_t ticket)
{
    returned r;
    if (ticket < first_ticket_ || ticket - first_ticket_ >= size_) {
        return r; // not ours, or released twice: nothing to give back
    }
    at(ticket).released = true;
    while (size_ != 0 && items_[head_].released) {
        const item& front = items_[head_];
        r.bytes += front.bytes;
        r.frames += front.is_frame ? 1 : 0;
        head_ = (head_ + 1) & (items_.size() - 1);
        --size_;
        bytes_ -= front.bytes;
        ++first_ticket_;
    }
    return r;
}

} // namespace zerobuffer::protocol
