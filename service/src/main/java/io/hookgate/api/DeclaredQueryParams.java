package io.hookgate.api;

import io.hookgate.support.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every API endpoint takes the query parameters it declares, each once, and refuses the rest: ignored, a misspelt
 * filter would widen a search or a bulk replay to everything, and a second value would be dropped without a word.
 * Runs after authentication, so that a stranger learns nothing of the parameters.
 */
@Priority(Priorities.USER)
public final class DeclaredQueryParams implements ContainerRequestFilter {

    @Context
    private ResourceInfo resource;
    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("api/") || resource.getResourceMethod() == null) {
            return;
        }
        Map<String, List<String>> given = request.getUriInfo().getQueryParameters();
        given.forEach((name, values) -> {
            if (values.size() > 1) {
                throw new Problem.Invalid(name, "is given " + values.size() + " times; give it once");
            }
            // "?tenantId=" from a script whose variable was unset: one reading takes it as every tenant, which for a bulk
            // replay would send every tenant's dead letters; an empty cursor is the first page, as a loop starts
            if (!name.equals("cursor") && values.stream().anyMatch(String::isBlank)) {
                throw new Problem.Invalid(name, "is empty; give it a value, or leave it out");
            }
            if (values.stream().anyMatch(v -> v.indexOf('\0') >= 0)) {
                throw new Problem.Invalid(name, "holds a NUL character (\\u0000), which cannot be searched for; remove it");
            }
        });
        Set<String> accepted = declared.computeIfAbsent(resource.getResourceMethod(), DeclaredQueryParams::of);
        given.keySet().stream().filter(name -> !accepted.contains(name)).sorted().findFirst().ifPresent(name -> {
            throw new Problem.Invalid(name, accepted.isEmpty() ? "this endpoint takes no query parameters"
                : "is not a parameter of this endpoint; use " + String.join(", ", accepted));
        });
    }

    /** The names of {@code method}'s {@code @QueryParam}s, its {@code @BeanParam}s' included. */
    private static Set<String> of(Method method) {
        Set<String> names = new TreeSet<>();
        for (Parameter parameter : method.getParameters()) {
            if (parameter.isAnnotationPresent(QueryParam.class)) {
                names.add(parameter.getAnnotation(QueryParam.class).value());
            } else if (parameter.isAnnotationPresent(BeanParam.class)) {
                for (Field field : parameter.getType().getDeclaredFields()) {
                    if (field.isAnnotationPresent(QueryParam.class)) {
                        names.add(field.getAnnotation(QueryParam.class).value());
                    }
                }
            }
        }
        return names;
    }
}
