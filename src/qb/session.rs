//! The session helper: version negotiation, request IDs, paging with iterators, batching.
