//! Work spread over the machine's cores, results in the order of the input.

/// Maps `f` over `items` on up to every core (each thread a contiguous share),
/// the results in the order of `items`; on one core, or with fewer than `min`
/// items, in this thread. A panic in `f` is carried to the caller.
pub fn map_ordered<T: Send, U: Send>(
    items: Vec<T>,
    min: usize,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < min.max(2) {
        return items.into_iter().map(f).collect();
    }
    let share = items.len().div_ceil(threads);
    let mut parts: Vec<Vec<T>> = Vec::new();
    let mut rest = items.into_iter();
    loop {
        let part: Vec<T> = rest.by_ref().take(share).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || part.into_iter().map(f).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_the_order_of_the_input() {
        let got = map_ordered((0..1000).collect(), 2, |n: u32| n * 2);
        assert_eq!(got, (0..1000).map(|n| n * 2).collect::<Vec<_>>());
        assert_eq!(map_ordered(vec![7], 2, |n: u32| n + 1), [8]);
        assert!(map_ordered(Vec::<u32>::new(), 2, |n| n).is_empty());
    }
}
