//! Round two: decoding bombs and unbounded work — image and PDF headers judged before
//! decoding, SVG, FIFOs, grapheme clusters, rows, list entries, input bytes.

use super::*;
use crate::fuzz_media::{base64, blur_svg, gif_header, jpeg_header, mkfifo, page_tree_pdf, png_header, svg};

pub(super) fn cases() -> Vec<Case> {
    vec![
        // ── Decoding bombs: judged from the header, nothing decoded ─────────────────
        case(
            "JPEG header declaring 65500×65500 (633-byte bomb)",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/bomb.jpg」過大：65500×65500 像素（4290.2 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| attach(s, "attachments/bomb.jpg", Some(&jpeg_header(65500, 65500))),
        ),
        case(
            "GIF declaring 65535×65535 in 42 bytes",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/bomb.gif」過大：65535×65535 像素（4294.8 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| attach(s, "attachments/bomb.gif", Some(&gif_header(65535, 65535))),
        ),
        case(
            "PNG declaring 30000×30000",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/zeros.png」過大：30000×30000 像素（900.0 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| attach(s, "attachments/zeros.png", Some(&png_header(30000, 30000))),
        ),
        case(
            "PNG of 7000×7000: under the side limit, over the pixel limit",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/big.png」過大：7000×7000 像素（49.0 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| attach(s, "attachments/big.png", Some(&png_header(7000, 7000))),
        ),
        case(
            "PNG saved as .jpg",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/photo.jpg」的內容是 PNG 圖片，與副檔名「.jpg」不符；請將副檔名改為 .png",
            |s| attach(s, "attachments/photo.jpg", Some(&png_header(10, 10))),
        ),
        case(
            "the 30000×30000 PNG inside an SVG data: URL",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/wrap.svg」內含的圖片過大：30000×30000 像素（900.0 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| {
                let href = format!("data:image/png;base64,{}", base64(&png_header(30000, 30000)));
                let bytes = svg(&format!("<image width=\"100\" height=\"100\" xlink:href=\"{href}\"/>"));
                attach(s, "attachments/wrap.svg", Some(&bytes))
            },
        ),
        case(
            "an SVG linking the 30000×30000 PNG beside it",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/link.svg」內含的圖片過大：30000×30000 像素（900.0 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| {
                write_file(s, "113-1/attachments/zeros.png", png_header(30000, 30000));
                let bytes = svg("<image width=\"100\" height=\"100\" href=\"zeros.png\"/>");
                attach(s, "attachments/link.svg", Some(&bytes))
            },
        ),
        case(
            "Markdown showing the 30000×30000 PNG",
            BUILD,
            "dgbas/113-1/attachments/bomb.md:3:1: report[0].attachment[0].file: 圖片「zeros.png」過大：30000×30000 像素（900.0 百萬像素），上限為 40 百萬像素、每邊 20000 像素；請縮小圖片（列印用 300 dpi 即足夠）",
            |s| {
                write_file(s, "113-1/attachments/zeros.png", png_header(30000, 30000));
                attach(s, "attachments/bomb.md", Some("# 圖\n\n![全零](zeros.png)\n".as_bytes()))
            },
        ),
        case(
            "PDF whose page tree expands to 9.8 million pages (25⁵)",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/pages.pdf」的頁面樹展開後超過 2000 頁的上限；請分割檔案，或只附加需要的頁面",
            |s| attach(s, "attachments/pages.pdf", Some(&page_tree_pdf(5, 25))),
        ),
        case(
            "PDF whose page tree is a cycle",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/cycle.pdf」的頁面樹有循環（頁面節點引用自己），檔案已損毀",
            |s| {
                let objects = [
                    "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
                    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
                    "<< /Type /Pages /Kids [2 0 R] /Count 1 >>".to_string(),
                ];
                attach(s, "attachments/cycle.pdf", Some(&pdf_of(&objects)))
            },
        ),
        // ── Unbounded work ───────────────────────────────────────────────────────
        case(
            "SVG blur filter over a huge region",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/blur.svg」的濾鏡（如模糊、陰影）範圍過大：約需 125.0 百萬像素的點陣圖，上限 16 百萬像素；請縮小濾鏡範圍或先將圖片轉成 PNG",
            |s| attach(s, "attachments/blur.svg", Some(&blur_svg(5))),
        ),
        case(
            "SVG with 65 filtered elements",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/shadows.svg」有 65 個套用濾鏡的元素，上限 64 個；濾鏡須逐一轉成點陣圖，請減少濾鏡或先將圖片轉成 PNG",
            |s| {
                let rects: String =
                    (0..65).map(|i| format!("<rect x=\"{i}\" width=\"1\" height=\"1\" filter=\"url(#o)\"/>")).collect();
                let bytes = svg(&format!("<filter id=\"o\"><feOffset dx=\"1\"/></filter>{rects}"));
                attach(s, "attachments/shadows.svg", Some(&bytes))
            },
        ),
        case(
            "SVG <image> linking a FIFO (would block forever)",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/fifo.svg」無法讀取連結的圖片「pipe.png」：不是一般檔案（可能是具名管道 FIFO、裝置或目錄），只能讀取一般檔案",
            |s| {
                mkfifo(&s.join("113-1/attachments/pipe.png"));
                let bytes = svg("<image width=\"100\" height=\"100\" href=\"pipe.png\"/>");
                attach(s, "attachments/fifo.svg", Some(&bytes))
            },
        ),
        case(
            "SVG <image> linking a file by absolute path",
            BUILD,
            "dgbas/113-1/meeting.toml:21:8: report[0].attachment[0].file: 附件「attachments/abs.svg」連結的圖片「/etc/passwd」不是相對路徑；SVG 只能連結系列目錄內、相對於 SVG 檔所在目錄的圖片（或以 data: 內嵌）",
            |s| {
                attach(s, "attachments/abs.svg", Some(&svg("<image width=\"10\" height=\"10\" href=\"/etc/passwd\"/>")))
            },
        ),
        case(
            "8,000 combining marks on one letter in a title",
            BUILD,
            "dgbas/113-1/meeting.toml:10:9: report[0].title: 含有過長的組合字元（一個字上疊了 8001 個字碼，上限 32 個）：通常是重複貼上的附加符號，請刪除多餘的符號",
            |s| {
                let marks = format!("本總處a{}", "\u{301}".repeat(8000));
                edit_file(s, MEETING, "title = \"本總處「", &format!("title = \"{marks}「"))
            },
        ),
        case(
            "a long grapheme cluster in a CSV attachment",
            BUILD,
            "dgbas/113-1/attachments/21-delisting.csv:2:3: discussion[0].attachment[0].file: 含有過長的組合字元（一個字上疊了 41 個字碼，上限 32 個）：通常是重複貼上的附加符號，請刪除多餘的符號",
            |s| {
                let path = s.join("113-1/attachments/21-delisting.csv");
                let text = std::fs::read_to_string(&path).unwrap();
                let mut lines: Vec<String> = text.lines().map(String::from).collect();
                lines[1] = format!("1,e{}{}", "\u{300}".repeat(40), &lines[1][2..]);
                std::fs::write(&path, lines.join("\n") + "\n").unwrap();
            },
        ),
        case(
            "a CSV of 20,001 body rows",
            BUILD,
            "dgbas/113-1/attachments/rows.csv:20002:1: report[0].attachment[0].file: 表格超過 20000 列（不含標題列）的上限；請分割成數個附件，完整資料另以開放資料提供",
            |s| {
                let mut csv = String::from("項次,名稱\n");
                for i in 0..20_001 {
                    csv.push_str(&format!("{i},資料集{i}\n"));
                }
                attach(s, "attachments/rows.csv", Some(csv.as_bytes()))
            },
        ),
        case(
            "a CSV of 65 columns",
            BUILD,
            "dgbas/113-1/attachments/wide.csv:1:1: report[0].attachment[0].file: 這一列有 65 欄，超過 64 欄的上限（A4 頁面印不下）；請分割表格",
            |s| attach(s, "attachments/wide.csv", Some(vec!["欄"; 65].join(",").as_bytes())),
        ),
        case(
            "1,001 observers",
            MINUTES,
            "dgbas/113-1/meeting.toml:44:13: minutes.attendance.observers: 清單過長：1001 項，上限 1000 項；請分成多次會議或改為附件",
            |s| {
                let names: Vec<String> = (0..1001).map(|i| format!("\"旁聽{i}\"")).collect();
                edit_file(
                    s,
                    MEETING,
                    "leave = [\"lai\", \"hsu\"]\n",
                    &format!("leave = [\"lai\", \"hsu\"]\nobservers = [{}]\n", names.join(", ")),
                )
            },
        ),
        case(
            "a meeting.toml over 16 MiB",
            BUILD,
            "dgbas/113-1/meeting.toml: 無法讀取檔案：檔案過大：16.6 MiB，上限 16.0 MiB；請縮小或分割檔案",
            |s| {
                let path = s.join(MEETING);
                let mut text = std::fs::read_to_string(&path).unwrap();
                text.push_str(&format!("# {}\n", "註".repeat(5_800_000)));
                std::fs::write(&path, text).unwrap();
            },
        ),
        case(
            "attachments over 256 MiB in all",
            BUILD,
            "dgbas/113-1/meeting.toml:32:8: discussion[0].attachment[0].file: 會議資料、小組設定與附件的檔案到此合計 300.0 MiB，超過上限 256.0 MiB；請縮小或分割附件（如掃描檔降低解析度）",
            |s| {
                // Sparse files: the size is what counts, nothing is written.
                for (name, mib) in [("113-1/attachments/scan-1.pdf", 150), ("113-1/attachments/21-delisting.csv", 150)]
                {
                    let f = std::fs::File::create(s.join(name)).unwrap();
                    f.set_len(mib << 20).unwrap();
                }
                attach(s, "attachments/scan-1.pdf", None)
            },
        ),
    ]
}
