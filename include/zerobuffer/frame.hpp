// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_FRAME_HPP
#define ZEROBUFFER_FRAME_HPP

/// @file
/// A frame handed out by a reader: a read-only view into shared memory that
/// gives its bytes back to the ring when it is released.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace zerobuffer {

namespace detail {
class reader_impl;
} // namespace detail

/// A zero-copy view of one frame in the ring. Move-only. The bytes stay valid
/// and unchanged until the frame is released: by its destructor, `release()`,
/// or `reader::release_frame`. Frames may be held several at a time and
/// released in any order, from any thread. A frame keeps the mapping alive, so
/// it may even outlive its `reader` object (the buffer is then already
/// unlinked, its memory freed with the last frame).
///
/// A default-constructed frame, or one returned on a timeout, is invalid:
/// `valid()` is false and `size()` is 0.
class frame {
public:
    frame() noexcept = default;
    frame(frame&& other) noexcept;
    frame& operator=(frame&& other) noexcept;
    frame(const frame&) = delete;
    frame& operator=(const frame&) = delete;
    ~frame();

    bool valid() const noexcept { return owner_ != nullptr; }
    explicit operator bool() const noexcept { return valid(); }

    const std::byte* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    /// The writer's sequence number: 1, 2, 3, ... per writer connection.
    std::uint64_t sequence() const noexcept { return sequence_; }
    std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }

    /// Ends the frame (it becomes invalid) and gives its space back to the
    /// writer: at once when the reader has read every frame it knows to be
    /// committed, or when the writer had less than half the ring free at the
    /// reader's last look (it may be waiting for room); else with a later release (at most 16 KiB
    /// or a sixteenth of the ring later) or when a read next finds nothing, whichever comes first:
    /// while the reader is behind, the space of several frames goes back in one update. Space
    /// returns in ring order: behind a frame still held, it waits for that one.
    void release() noexcept;

private:
    friend class detail::reader_impl;
    frame(detail::reader_impl* owner, const std::byte* data, std::size_t size,
          std::uint64_t sequence, std::uint64_t ticket) noexcept;

    // Counted by the reader under its lock (no atomic reference count per
    // frame): it outlives its last frame, see reader_impl::detach.
    detail::reader_impl* owner_ = nullptr;
    const std::byte* data_ = nullptr;
    std::size_t size_ = 0;
    std::uint64_t sequence_ = 0;
    std::uint64_t ticket_ = 0; // identifies the frame to its reader's release order
};

} // namespace zerobuffer

#endif // ZEROBUFFER_FRAME_HPP
