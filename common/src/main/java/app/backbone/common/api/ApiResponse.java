package app.backbone.common.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code {"success": true, "data": ...}}, with {@code count} and {@code hasMore} on lists and {@code created} where a
 * POST may or may not have made something new.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiResponse<T>(boolean success, T data, Integer count, Boolean hasMore, Boolean created) {

    public static <T> ApiResponse<T> of(T data) {
        return new ApiResponse<>(true, data, null, null, null);
    }

    public static <T> ApiResponse<List<T>> list(List<T> items, boolean hasMore) {
        return new ApiResponse<>(true, items, items.size(), hasMore, null);
    }

    public static <T> ApiResponse<T> created(T data, boolean created) {
        return new ApiResponse<>(true, data, null, null, created);
    }
}
