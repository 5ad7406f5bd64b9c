/// The first `count` elements of a sequence in an order, without sorting all of it: what a
/// page of a large catalog needs. A bounded max-heap keeps the `count` smallest seen so far, so
/// a page of `k` out of `n` costs about `n` comparisons (most elements lose against the heap's
/// largest at once) and `k log k` more, instead of sorting all `n`.
enum PageSelection {
    /// The `count` smallest elements of `elements` under `precedes`, in order, and whether
    /// more elements were left out.
    ///
    /// - Parameters:
    ///   - count: How many to keep.
    ///   - elements: The candidates.
    ///   - precedes: A strict total order.
    static func first<Element>(
        _ count: Int, of elements: some Sequence<Element>, by precedes: (Element, Element) -> Bool
    ) -> (elements: [Element], more: Bool) {
        guard count > 0 else { return ([], elements.contains { _ in true }) }
        var heap: [Element] = []  // a max-heap: heap[0] is the largest kept
        heap.reserveCapacity(count)
        var more = false
        for element in elements {
            if heap.count < count {
                heap.append(element)
                siftUp(&heap, from: heap.count - 1, by: precedes)
            } else {
                more = true
                guard precedes(element, heap[0]) else { continue }
                heap[0] = element
                siftDown(&heap, from: 0, by: precedes)
            }
        }
        return (heap.sorted(by: precedes), more)
    }

    private static func siftUp<Element>(_ heap: inout [Element], from index: Int, by precedes: (Element, Element) -> Bool) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func siftDown<Element>(_ heap: inout [Element], from index: Int, by precedes: (Element, Element) -> Bool) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            var largest = left
            if left + 1 < heap.count && precedes(heap[left], heap[left + 1]) { largest = left + 1 }
            guard precedes(heap[parent], heap[largest]) else { return }
            heap.swapAt(parent, largest)
            parent = largest
        }
    }
}
