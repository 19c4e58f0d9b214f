// Vietnamese names and business facts the simulator draws from. Family names by their approximate share of the
// population (Nguyễn about 38 %, Trần 11 %, Lê 9.5 %, Phạm 7 %…); given names and middle names by sex.

export const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = [
  ["Nguyễn", 38], ["Trần", 11], ["Lê", 9.5], ["Phạm", 7.1], ["Hoàng", 3.1], ["Huỳnh", 2.1], ["Phan", 4.5],
  ["Vũ", 2.5], ["Võ", 1.4], ["Đặng", 2.1], ["Bùi", 2], ["Đỗ", 1.4], ["Hồ", 1.3], ["Ngô", 1.3], ["Dương", 1],
  ["Lý", 0.5], ["Đinh", 0.5], ["Trương", 0.5], ["Đào", 0.4], ["Mai", 0.3], ["Cao", 0.3], ["Lương", 0.3],
  ["Tạ", 0.2], ["Hà", 0.3], ["Kiều", 0.1], ["Lâm", 0.2], ["Trịnh", 0.3], ["Chu", 0.1],
];

export const MIDDLE_NAMES = {
  male: ["Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Xuân", "Công", "Gia", "Hoàng", "Trọng"],
  female: ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Phương", "Thùy", "Minh", "Bảo", "Khánh"],
} as const;

export const GIVEN_NAMES = {
  male: [
    "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa",
    "Kiên", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tâm", "Thắng",
    "Thành", "Thịnh", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Đông", "Hưng",
  ],
  female: [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Huyền", "Hương", "Lan", "Liên", "Linh",
    "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thủy", "Trang", "Trinh",
    "Tuyết", "Uyên", "Vân", "Yến", "Hồng",
  ],
} as const;

/** Codes of the VSIC 2018 classification (Decision 27/2018/QĐ-TTg), level 4, with their names. */
export const VSIC_CODES: ReadonlyArray<readonly [string, string]> = [
  ["0111", "Trồng lúa"],
  ["1079", "Sản xuất thực phẩm khác chưa được phân vào đâu"],
  ["1410", "May trang phục (trừ trang phục từ da lông thú)"],
  ["2599", "Sản xuất sản phẩm khác bằng kim loại chưa được phân vào đâu"],
  ["4100", "Xây dựng nhà các loại"],
  ["4290", "Xây dựng công trình kỹ thuật dân dụng khác"],
  ["4520", "Bảo dưỡng, sửa chữa ô tô và xe có động cơ khác"],
  ["4632", "Bán buôn thực phẩm"],
  ["4711", "Bán lẻ lương thực, thực phẩm, đồ uống, thuốc lá, thuốc lào chiếm tỷ trọng lớn trong các cửa hàng kinh doanh tổng hợp"],
  ["4933", "Vận tải hàng hóa bằng đường bộ"],
  ["5510", "Dịch vụ lưu trú ngắn ngày"],
  ["5610", "Nhà hàng và các dịch vụ ăn uống phục vụ lưu động"],
  ["6201", "Lập trình máy vi tính"],
  ["6810", "Kinh doanh bất động sản, quyền sử dụng đất thuộc chủ sở hữu, chủ sử dụng hoặc đi thuê"],
  ["7020", "Hoạt động tư vấn quản lý"],
  ["8559", "Giáo dục khác chưa được phân vào đâu"],
];

export const BUSINESS_FORMS = [
  ["Công ty TNHH", 55],
  ["Công ty Cổ phần", 25],
  ["Công ty TNHH Một thành viên", 15],
  ["Doanh nghiệp tư nhân", 5],
] as const;

export const BUSINESS_WORDS = [
  "An Phát", "Bình Minh", "Đại Việt", "Hòa Bình", "Hưng Thịnh", "Kim Long", "Minh Châu", "Nam Sơn", "Phú Quý",
  "Sao Mai", "Tân Tiến", "Thành Công", "Thiên Phúc", "Trường An", "Việt Hưng", "Xuân Mai", "Hồng Hà", "Đông Á",
];

export const BUSINESS_TRADES = [
  "Thương mại", "Xây dựng", "Dịch vụ", "Công nghệ", "Vận tải", "Thực phẩm", "Đầu tư", "Sản xuất", "Du lịch",
];
