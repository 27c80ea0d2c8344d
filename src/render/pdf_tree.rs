//! A PDF attachment's page tree, bounded before the PDF reader expands it. A page tree
//! is a tree of `/Kids` arrays, but nothing in the format stops one node from listing the
//! same child many times: five levels of 25 references each make 9.7 million pages out of
//! a 36 KB file, and the reader (hayro, as Typst uses it) builds every one of them.
//!
//! So every `/Kids` array is found in the file's bytes — in plain objects and inside
//! compressed object streams — and the pages each node expands to are counted over the
//! graph of references (each node once), before the reader sees the file.

use std::collections::HashMap;

/// Most pages of one PDF attachment (after expanding its page tree): every page is
/// printed into the packet, and 2,000 pages is already a box of paper.
pub const MAX_PDF_PAGES: u64 = 2_000;

/// Deepest page tree (levels of `/Kids`): real files have 2–6 levels; a deep chain only
/// makes the reader recurse.
pub const MAX_PDF_TREE_DEPTH: usize = 32;

/// Most bytes the object streams of one PDF may decompress to (a compressed stream can
/// expand a thousandfold).
pub const MAX_PDF_OBJECT_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// `Some(reason)` if the page tree is too large, too deep, cyclic, or cannot be checked.
pub(super) fn page_tree_problem(bytes: &[u8]) -> Option<String> {
    let mut kids: HashMap<u32, Kids> = HashMap::new();
    let mut arrays: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut budget = MAX_PDF_OBJECT_STREAM_BYTES;
    for (num, body) in objects(bytes) {
        if let Err(problem) = scan_object(num, body, &mut kids, &mut arrays, &mut budget, bytes) {
            return Some(problem);
        }
    }
    // Kids arrays held in objects of their own: `/Kids 7 0 R`.
    let graph: HashMap<u32, (Vec<u32>, u64)> = kids
        .into_iter()
        .map(|(n, k)| {
            let mut refs = k.refs;
            for a in k.indirect {
                refs.extend(arrays.get(&a).into_iter().flatten().copied());
            }
            (n, (refs, k.inline))
        })
        .collect();
    let mut counted: HashMap<u32, u64> = HashMap::new();
    let mut on_path: Vec<u32> = Vec::new();
    for &n in graph.keys() {
        match count(n, &graph, &mut counted, &mut on_path) {
            Err(problem) => return Some(problem),
            Ok(pages) if pages > MAX_PDF_PAGES => {
                return Some(format!("的頁面樹展開後超過 {MAX_PDF_PAGES} 頁的上限；請分割檔案，或只附加需要的頁面"));
            }
            Ok(_) => {}
        }
    }
    None
}

/// What one object's `/Kids` holds.
#[derive(Default)]
struct Kids {
    refs: Vec<u32>,
    /// Objects whose whole body is the array (`/Kids 7 0 R`).
    indirect: Vec<u32>,
    /// Dictionaries written inline in the array (each at least one page).
    inline: u64,
}

/// The pages node `n` expands to, each node counted once (memoized), refusing cycles
/// and trees deeper than [`MAX_PDF_TREE_DEPTH`]. Saturates above [`MAX_PDF_PAGES`].
fn count(
    n: u32,
    graph: &HashMap<u32, (Vec<u32>, u64)>,
    counted: &mut HashMap<u32, u64>,
    on_path: &mut Vec<u32>,
) -> Result<u64, String> {
    if let Some(&c) = counted.get(&n) {
        return Ok(c);
    }
    let Some((refs, inline)) = graph.get(&n) else {
        return Ok(1); // a page
    };
    if on_path.contains(&n) {
        return Err("的頁面樹有循環（頁面節點引用自己），檔案已損毀".into());
    }
    if on_path.len() >= MAX_PDF_TREE_DEPTH {
        return Err(format!("的頁面樹超過 {MAX_PDF_TREE_DEPTH} 層，檔案已損毀或有異常"));
    }
    on_path.push(n);
    let mut total = *inline;
    for &r in refs {
        total = total.saturating_add(count(r, graph, counted, on_path)?);
        if total > MAX_PDF_PAGES {
            break;
        }
    }
    on_path.pop();
    counted.insert(n, total);
    Ok(total)
}

/// Every `N G obj … endobj` in the file's bytes: (object number, body).
fn objects(bytes: &[u8]) -> Vec<(u32, &[u8])> {
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&bytes[i..], b"obj") {
        let at = i + p;
        i = at + 3;
        // `obj` as a keyword, not the end of `endobj` or part of a name.
        if bytes.get(at + 3).is_some_and(|&b| !is_delim(b)) {
            continue;
        }
        if let Some(num) = object_number_before(bytes, at) {
            starts.push((num, at + 3));
        }
    }
    let mut out = Vec::new();
    for (k, &(num, start)) in starts.iter().enumerate() {
        let next = starts.get(k + 1).map(|&(_, s)| s).unwrap_or(bytes.len());
        let end = find(&bytes[start..next], b"endobj").map(|p| start + p).unwrap_or(next);
        out.push((num, &bytes[start..end]));
    }
    out
}

/// `12 0 ` before `obj` at `at`: the object number.
fn object_number_before(bytes: &[u8], at: usize) -> Option<u32> {
    let mut j = at;
    let skip_ws = |j: &mut usize| {
        while *j > 0 && bytes[*j - 1].is_ascii_whitespace() {
            *j -= 1;
        }
    };
    let digits = |j: &mut usize| -> Option<usize> {
        let end = *j;
        while *j > 0 && bytes[*j - 1].is_ascii_digit() {
            *j -= 1;
        }
        (*j < end).then_some(end)
    };
    skip_ws(&mut j);
    digits(&mut j)?; // generation
    skip_ws(&mut j);
    let end = digits(&mut j)?;
    std::str::from_utf8(&bytes[j..end]).ok()?.parse().ok()
}

/// Record the `/Kids` of object `num` (or of each object inside it, if it is an object
/// stream) and, for `/Kids N G R`, the array objects.
fn scan_object(
    num: u32,
    body: &[u8],
    kids: &mut HashMap<u32, Kids>,
    arrays: &mut HashMap<u32, Vec<u32>>,
    budget: &mut usize,
    file: &[u8],
) -> Result<(), String> {
    let (dict_end, names) = names_until_stream(body);
    if names.iter().any(|(n, _)| n == b"ObjStm") {
        let decoded = object_stream(body, dict_end, budget, file)?;
        for (inner, inner_body) in object_stream_objects(body, &decoded)? {
            record(inner, inner_body, kids, arrays);
        }
        return Ok(());
    }
    record(num, &body[..dict_end], kids, arrays);
    Ok(())
}

fn record(num: u32, body: &[u8], kids: &mut HashMap<u32, Kids>, arrays: &mut HashMap<u32, Vec<u32>>) {
    let trimmed = body.trim_ascii_start();
    if trimmed.starts_with(b"[") {
        arrays.entry(num).or_default().extend(refs_in(trimmed).0);
    }
    let (_, names) = names_until_stream(body);
    for (name, after) in names {
        if name != b"Kids" {
            continue;
        }
        let rest = body[after..].trim_ascii_start();
        let entry = kids.entry(num).or_default();
        if rest.starts_with(b"[") {
            let end = matching_bracket(rest);
            let (refs, inline) = refs_in(&rest[..end]);
            entry.refs.extend(refs);
            entry.inline += inline;
        } else if let (refs, _) = refs_in(&rest[..rest.len().min(40)])
            && let Some(&first) = refs.first()
        {
            entry.indirect.push(first);
        }
    }
}

/// The names (`#xx` escapes decoded) in `body` before a `stream` keyword, each with the
/// offset just after it; and where the dictionary part ends.
fn names_until_stream(body: &[u8]) -> (usize, Vec<(Vec<u8>, usize)>) {
    let mut names = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b == b'/' {
            let mut name = Vec::new();
            let mut j = i + 1;
            while j < body.len() && !is_delim(body[j]) {
                if body[j] == b'#'
                    && let Some(v) = body
                        .get(j + 1..j + 3)
                        .and_then(|h| std::str::from_utf8(h).ok())
                        .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    name.push(v);
                    j += 3;
                    continue;
                }
                name.push(body[j]);
                j += 1;
            }
            names.push((name, j));
            i = j;
        } else if b == b'(' {
            i = skip_string(body, i);
        } else if body[i..].starts_with(b"stream") && (i == 0 || is_delim(body[i - 1])) {
            return (i, names);
        } else {
            i += 1;
        }
    }
    (body.len(), names)
}

/// Past a literal string `( … )` starting at `i` (nested parentheses, escapes).
fn skip_string(body: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j < body.len() {
        match body[j] {
            b'\\' => j += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return j + 1;
                }
            }
            _ => {}
        }
        j += 1;
    }
    body.len()
}

/// The length of the array starting at `s[0] == b'['`, brackets nested.
fn matching_bracket(s: &[u8]) -> usize {
    let mut depth = 0usize;
    for (i, &b) in s.iter().enumerate() {
        match b {
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// The object numbers of every `N G R` in `s`, and how many inline dictionaries it has.
fn refs_in(s: &[u8]) -> (Vec<u32>, u64) {
    let tokens: Vec<&[u8]> =
        s.split(|&b| b.is_ascii_whitespace() || matches!(b, b'[' | b']' | b'/')).filter(|t| !t.is_empty()).collect();
    let mut refs = Vec::new();
    for w in tokens.windows(3) {
        if w[2] == b"R"
            && w[1].iter().all(u8::is_ascii_digit)
            && let Some(n) = std::str::from_utf8(w[0]).ok().and_then(|t| t.parse().ok())
        {
            refs.push(n);
        }
    }
    let inline = s.windows(2).filter(|w| w == b"<<").count() as u64;
    (refs, inline)
}

/// The decompressed data of the object stream whose dictionary ends at `dict_end`.
fn object_stream(body: &[u8], dict_end: usize, budget: &mut usize, file: &[u8]) -> Result<Vec<u8>, String> {
    let unchecked = || -> String {
        if find(file, b"/Encrypt").is_some() {
            "有密碼保護或已加密；請先移除密碼再附加".into()
        } else {
            "含有無法檢查的物件串流（只接受 FlateDecode 壓縮）；請用 PDF 軟體另存新檔後再附加".into()
        }
    };
    let (_, names) = names_until_stream(&body[..dict_end]);
    let filters: Vec<&[u8]> =
        names.iter().map(|(n, _)| n.as_slice()).filter(|n| n.ends_with(b"Decode") || *n == b"Fl").collect();
    let mut data = &body[dict_end + b"stream".len()..];
    data = data.strip_prefix(b"\r\n").or_else(|| data.strip_prefix(b"\n")).unwrap_or(data);
    if let Some(end) = find(data, b"endstream") {
        data = &data[..end];
    }
    let decoded = match filters.as_slice() {
        [] => data.to_vec(),
        [f] if *f == b"FlateDecode" || *f == b"Fl" => {
            use miniz_oxide::inflate::{decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit};
            // Raw deflate only when zlib fails for another reason than the size (the
            // fallback would otherwise turn "too large" into "unreadable").
            decompress_to_vec_zlib_with_limit(data, *budget)
                .or_else(|e| match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Err(e),
                    _ => decompress_to_vec_with_limit(data, *budget),
                })
                .map_err(|e| match e.status {
                    miniz_oxide::inflate::TINFLStatus::HasMoreOutput => format!(
                        "的物件串流解壓縮後超過 {} MiB；檔案異常，請用 PDF 軟體另存新檔後再附加",
                        MAX_PDF_OBJECT_STREAM_BYTES / 1024 / 1024
                    ),
                    _ => unchecked(),
                })?
        }
        _ => return Err(unchecked()),
    };
    *budget = budget.saturating_sub(decoded.len());
    Ok(decoded)
}

/// The objects of a decompressed object stream: its header lists `number offset` pairs,
/// offsets counted from `/First`.
fn object_stream_objects<'a>(dict: &[u8], data: &'a [u8]) -> Result<Vec<(u32, &'a [u8])>, String> {
    let (_, names) = names_until_stream(dict);
    let first = names
        .iter()
        .find(|(n, _)| n == b"First")
        .and_then(|&(_, after)| {
            let rest = dict[after..].trim_ascii_start();
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            std::str::from_utf8(&rest[..digits]).ok()?.parse::<usize>().ok()
        })
        .filter(|&f| f <= data.len())
        .ok_or_else(|| "的物件串流已損毀，無法檢查".to_string())?;
    let header: Vec<usize> = data[..first]
        .split(u8::is_ascii_whitespace)
        .filter(|t| !t.is_empty())
        .map_while(|t| std::str::from_utf8(t).ok()?.parse().ok())
        .collect();
    let pairs: Vec<(u32, usize)> = header
        .chunks_exact(2)
        .filter_map(|p| Some((u32::try_from(p[0]).ok()?, first.checked_add(p[1])?)))
        .filter(|&(_, at)| at <= data.len())
        .collect();
    let mut starts: Vec<usize> = pairs.iter().map(|&(_, at)| at).collect();
    starts.sort_unstable();
    Ok(pairs
        .iter()
        .map(|&(num, at)| {
            let end = starts.iter().copied().find(|&s| s > at).unwrap_or(data.len());
            (num, &data[at..end])
        })
        .collect())
}

fn is_delim(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Most bytes one stream of a PDF attachment may decompress to (a page's content, a font,
/// an image's samples): 64 MiB holds a 4,000 × 5,000-pixel RGB image; a Flate stream can
/// expand a thousandfold, so a 100 KB file could otherwise ask for 100 MB.
pub const MAX_PDF_STREAM_BYTES: usize = 64 * 1024 * 1024;

/// Most bytes all streams of one PDF attachment may decompress to together.
pub const MAX_PDF_STREAMS_TOTAL: usize = 1024 * 1024 * 1024;

/// `Some(reason)` if a stream of the PDF decompresses to more than the limits allow,
/// measured before the PDF reader decodes any of them: Flate streams are inflated here
/// with the limit (and the result dropped); LZW and run-length streams, rare and not
/// worth a decoder of our own, are judged by their worst-case ratio. Image codecs (JPEG,
/// JPEG 2000, JBIG2, CCITT) are bounded by the pixels their images declare, counted when
/// each page is read ([`super::pdf_pages`]). A stream that does not inflate (damaged,
/// encrypted) is left to the reader, which refuses such files.
pub(super) fn stream_problem(bytes: &[u8]) -> Option<String> {
    let mut total = 0usize;
    for (_, body) in objects(bytes) {
        let (dict_end, names) = names_until_stream(body);
        if dict_end >= body.len() {
            continue;
        }
        let filters: Vec<&[u8]> = names.iter().map(|(n, _)| n.as_slice()).filter(|n| is_filter(n)).collect();
        let mut data = &body[dict_end + b"stream".len()..];
        data = data.strip_prefix(b"\r\n").or_else(|| data.strip_prefix(b"\n")).unwrap_or(data);
        if let Some(end) = find(data, b"endstream") {
            data = &data[..end];
        }
        let size = match filters.first().copied() {
            None => data.len(),
            Some(b"FlateDecode" | b"Fl") => {
                use miniz_oxide::inflate::{
                    TINFLStatus, decompress_to_vec_with_limit, decompress_to_vec_zlib_with_limit,
                };
                let limit = MAX_PDF_STREAM_BYTES + 1;
                // A raw deflate stream (no zlib header) is tried only when the zlib one fails
                // for another reason than its size.
                let inflated = decompress_to_vec_zlib_with_limit(data, limit).or_else(|e| match e.status {
                    TINFLStatus::HasMoreOutput => Err(e),
                    _ => decompress_to_vec_with_limit(data, limit),
                });
                match inflated {
                    Ok(out) => out.len(),
                    Err(e) if e.status == TINFLStatus::HasMoreOutput => limit,
                    Err(e) => e.output.len(),
                }
            }
            Some(b"LZWDecode" | b"LZW") => data.len().saturating_mul(1000),
            Some(b"RunLengthDecode" | b"RL") => data.len().saturating_mul(128),
            // ASCII encodings shrink; image codecs are bounded by their pixels.
            Some(_) => data.len(),
        };
        if size > MAX_PDF_STREAM_BYTES {
            return Some(format!(
                "含有解壓縮後超過 {} MiB 的資料串流（壓縮炸彈或異常檔案）；請用 PDF 軟體「列印成 PDF」後再附加",
                MAX_PDF_STREAM_BYTES / 1024 / 1024
            ));
        }
        total = total.saturating_add(size);
        if total > MAX_PDF_STREAMS_TOTAL {
            return Some(format!(
                "的資料串流解壓縮後共超過 {} MiB；請分割檔案或縮小其中的圖片後再附加",
                MAX_PDF_STREAMS_TOTAL / 1024 / 1024
            ));
        }
    }
    None
}

fn is_filter(name: &[u8]) -> bool {
    name.ends_with(b"Decode") || matches!(name, b"Fl" | b"LZW" | b"RL" | b"AHx" | b"A85" | b"DCT" | b"CCF")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A Flate stream of 80 MB of spaces (about 80 KB in the file) is refused; one of
    /// 1 MB is not.
    #[test]
    fn a_stream_inflating_past_the_limit_is_refused() {
        let pdf = |n: usize| {
            let packed = miniz_oxide::deflate::compress_to_vec_zlib(&vec![b' '; n], 6);
            let mut out = format!("%PDF-1.7\n4 0 obj\n<< /Length {} /Filter /FlateDecode >>\nstream\n", packed.len())
                .into_bytes();
            out.extend_from_slice(&packed);
            out.extend_from_slice(b"\nendstream\nendobj\n");
            out
        };
        assert!(stream_problem(&pdf(80 << 20)).is_some_and(|p| p.contains("64 MiB")));
        assert_eq!(stream_problem(&pdf(1 << 20)), None);
    }
}
