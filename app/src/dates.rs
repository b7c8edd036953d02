//! Dates as the reader expects them: in their locale and time zone, which the browser knows.

/// An RFC 3339 timestamp in the reader's locale and time zone (the browser knows both).
pub fn local_date_time(rfc3339: &str) -> String {
    #[cfg(feature = "csr")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if !date.get_time().is_nan() {
            return date
                .to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
                .into();
        }
    }
    rfc3339.to_owned()
}

/// The day only (`24 Nov 2026` in the reader's way of writing it).
pub fn local_date(rfc3339: &str) -> String {
    #[cfg(feature = "csr")]
    {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
        if !date.get_time().is_nan() {
            return date
                .to_locale_date_string("default", &wasm_bindgen::JsValue::UNDEFINED)
                .into();
        }
    }
    rfc3339.get(..10).unwrap_or(rfc3339).to_owned()
}
