// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_COPY_POLICY_HPP
#define ZEROBUFFER_COPY_POLICY_HPP

/// @file
/// How a copying write (`writer::write_frame`) moves a frame into the ring.

namespace zerobuffer {

/// A copy through the caches first reads every destination line it does not
/// hold (a read for ownership) and leaves the frame in the writer's cache. In
/// a ring larger than the cache, the lines a frame lands on are long evicted,
/// so that read is wasted and the frame evicts what the reader needs: there,
/// non-temporal (streaming) stores that write whole lines straight to memory
/// copy a large frame faster, and the reader's sequential reads of it stream
/// from memory. In a ring that fits the cache they are slower: the reader then
/// finds the frame in memory instead of in the cache.
/// `zerobuffer bench --video` measures both copies side by side.
enum class copy_policy {
    /// Streaming stores for frames of at least 256 KiB when the ring is at
    /// least half the last-level cache; copies through the caches otherwise.
    automatic,
    /// Always through the caches (`memcpy`).
    cached,
    /// Streaming stores for every frame of at least 4 KiB, whatever the ring.
    streaming,
};

} // namespace zerobuffer

#endif // ZEROBUFFER_COPY_POLICY_HPP
