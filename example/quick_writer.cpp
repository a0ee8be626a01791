// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Quick start, writer side: attaches to the buffer "quickstart" that
// quick_reader created, stores its metadata and writes a few frames.

#include <zerobuffer/zerobuffer.hpp>

#include <cstring>
#include <iostream>
#include <string>

int main()
{
    // Wait up to 10 s for the reader to create the buffer.
    zerobuffer::writer writer("quickstart", {.connect_timeout = std::chrono::seconds(10)});
    writer.set_metadata(std::string("text frames, UTF-8"));
    for (int i = 1; i <= 5; ++i) {
        writer.write_frame("hello #" + std::to_string(i)); // copied into shared memory
    }
    // Zero-copy: fill the frame where it lies in the ring, then publish it.
    const std::string last = "goodbye";
    auto area = writer.get_frame_buffer(last.size());
    std::memcpy(area.data(), last.data(), last.size());
    writer.commit_frame();
    std::cout << "wrote " << writer.frames_written() << " frames\n";
} // the writer's destructor detaches: the reader sees it leave
