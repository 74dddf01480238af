package dev.coffer.auth.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a listing: at most MaxItems items after the Marker, whether more follow, and the marker
 * that continues the listing. The marker is the sort key of the page's last item; clients treat it
 * as opaque, and any string is accepted (the listing resumes after it in sort order).
 */
record IamPage<T>(List<T> items, boolean truncated, String nextMarker) {

    /** A page of {@code sorted}, whose order is that of {@code sortKey}. */
    static <T> IamPage<T> of(List<T> sorted, Function<T, String> sortKey, Optional<String> marker, int maxItems) {
        List<T> items = new ArrayList<>();
        boolean truncated = false;
        for (T item : sorted) {
            if (marker.isPresent() && sortKey.apply(item).compareTo(marker.get()) <= 0) {
                continue;
            }
            if (items.size() == maxItems) {
                truncated = true;
                break;
            }
            items.add(item);
        }
        return new IamPage<>(items, truncated, truncated ? sortKey.apply(items.getLast()) : null);
    }

    /** The listing's trailer: {@code <IsTruncated>} always, {@code <Marker>} when truncated. */
    void appendTrailer(List<IamXmlNode> result) {
        result.add(IamXmlNode.bool("IsTruncated", truncated));
        if (truncated) {
            result.add(IamXmlNode.text("Marker", nextMarker));
        }
    }
}
