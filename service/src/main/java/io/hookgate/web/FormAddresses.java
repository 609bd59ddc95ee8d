package io.hookgate.web;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a form's address leads when it is visited rather than posted. A refused form is shown at the address it was
 * posted to, which stays in the browser's bar: a reload, a bookmark or a shared link of it lands on the page that
 * has the form, not on a 405.
 */
public final class FormAddresses {

    private static final Pattern PAGE = Pattern.compile("^(?:(?:tenants|destinations|users|events|replays)/\\d+|dead-letters|account)(?=/|$)");

    private FormAddresses() {
    }

    /** The page for {@code path} (no leading slash), as Jersey gives it; {@code tenant}: its query's tenant, if any. */
    public static String pageOf(String path, Optional<String> tenant) {
        if (path.equals("destinations")) { // the new-destination form posts here, with its tenant in the query
            return tenant.filter(t -> t.matches("\\d{1,18}")).map(t -> "/destinations/new?tenant=" + t).orElse("/tenants");
        }
        Matcher page = PAGE.matcher(path);
        return page.find() ? "/" + page.group() : "/";
    }
}
