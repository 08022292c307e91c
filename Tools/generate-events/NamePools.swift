/// The words the story is made of. Every name they produce is fictional: any likeness to a
/// real enterprise is a coincidence of common words.
enum NamePools {
    /// An industry of the district, the words of its company names and the products of its projects.
    struct Sector {
        let name: String
        /// The industry part of a company name (泰州恒达**精密机械**有限公司).
        let descriptors: [String]
        /// Products that projects are about; those with Latin letters serve the duplicate-award case.
        let products: [String]
    }

    static let sectors: [Sector] = [
        Sector(
            name: "汽车及精密零部件",
            descriptors: ["精密机械", "汽车零部件", "精密锻造", "齿轮", "汽车配件", "精密铸造", "轴承", "液压机械",
                          "传动科技", "模具", "紧固件", "动力机械"],
            products: ["新能源汽车EPS转向器壳体", "高精度齿轮箱壳体", "汽车ABS阀体", "发动机连杆", "精密冷锻齿轮",
                       "CNC精密轴类零件", "新能源汽车电驱动壳体", "汽车安全带卷收器", "铝合金轮毂", "精密液压油缸",
                       "汽车座椅调角器", "变速箱同步器齿环"]),
        Sector(
            name: "船舶配套装备",
            descriptors: ["船舶配件", "船用设备", "海洋工程", "船舶机械", "船用阀门", "推进设备", "船舶电气"],
            products: ["船用甲板机械", "LNG船用低温阀门", "船舶压载水处理装置", "船用调距螺旋桨", "海工吊机回转支承",
                       "船用锚绞机", "船舶智能机舱监控系统", "船用舱口盖"]),
        Sector(
            name: "医疗器械",
            descriptors: ["医疗器械", "医用材料", "医疗科技", "康复器械", "生物科技", "卫生材料"],
            products: ["一次性医用内窥镜", "医用PICC导管", "骨科植入物", "IVD体外诊断试剂", "康复外骨骼机器人",
                       "医用防护敷料", "一次性使用输注泵", "医用超声探头"]),
        Sector(
            name: "新材料",
            descriptors: ["新材料", "高分子材料", "特种合金", "复合材料", "新能源材料", "纳米科技", "碳材料"],
            products: ["高性能碳纤维复合材料", "PEEK特种工程塑料", "石墨烯导热膜", "高温合金锻件", "锂电池隔膜",
                       "光伏封装胶膜", "高纯石英砂", "聚酰亚胺薄膜"]),
        Sector(
            name: "电子信息",
            descriptors: ["电子科技", "光电科技", "智能装备", "半导体", "电子元件", "电气", "传感技术", "信息技术"],
            products: ["车规级MEMS传感器", "5G通信滤波器", "高频PCB", "LED驱动电源模组", "工业物联网网关",
                       "智能电表模块", "功率半导体IGBT模块", "精密电子连接器"]),
    ]

    /// Characters of shop names; two distinct ones make a brand (恒达, 瑞丰, …).
    static let brandCharacters: [String] = Array(
        "恒达宏泰鑫华瑞丰源盛兴隆精诚永新金海天远博创嘉安康明正通科立信和利联中东大凯昌捷峰宇星腾飞德润泽益辉光晨致优卓越杰亿万佳美祥福顺景汇邦聚力锐驰骏鼎铭晟昊旭耀锦弘扬"
    ).map(String.init)

    static let prefixes = ["泰州", "泰州市", "江苏"]
    static let legalForms = ["有限公司", "股份有限公司"]

    /// How many distinct company names the pools can make.
    static var nameCapacity: Int {
        prefixes.count * brandCharacters.count * (brandCharacters.count - 1) * descriptorCount * legalForms.count
    }

    static var descriptorCount: Int { sectors.reduce(0) { $0 + $1.descriptors.count } }

    /// The `index`-th name of the mixed-radix space of names, and its sector.
    static func name(number index: Int) -> (name: String, sector: Int) {
        precondition(index >= 0 && index < nameCapacity, "a name number within the pools")
        var rest = index
        let form = rest % legalForms.count; rest /= legalForms.count
        var descriptor = rest % descriptorCount; rest /= descriptorCount
        let second = rest % (brandCharacters.count - 1); rest /= (brandCharacters.count - 1)
        let first = rest % brandCharacters.count; rest /= brandCharacters.count
        let prefix = rest
        var sector = 0
        while descriptor >= sectors[sector].descriptors.count {
            descriptor -= sectors[sector].descriptors.count
            sector += 1
        }
        let secondCharacter = brandCharacters[second >= first ? second + 1 : second]
        let name = prefixes[prefix] + brandCharacters[first] + secondCharacter
            + sectors[sector].descriptors[descriptor] + legalForms[form]
        return (name, sector)
    }

    /// Project titles: a product put into one of these patterns.
    static func project(product: String, template: Int, quantity: Int) -> String {
        switch template % 5 {
        case 0: return "\(product)研发及产业化项目"
        case 1: return "\(product)关键技术攻关项目"
        case 2: return "年产\(quantity)万件\(product)技术改造项目"
        case 3: return "\(product)生产线智能化改造项目"
        default: return "\(product)首台（套）研制项目"
        }
    }

    static let projectTemplates = 5

    static let revocationReasons = [
        "项目终止：未按期完成建设任务，经验收不合格",
        "企业主动申请放弃项目",
        "项目绩效评价不合格，按规定撤销资助",
        "项目主要技术负责人离职，项目无法继续实施",
    ]

    static let deregistrationReasons = [
        "企业注销",
        "企业迁出姜堰区",
        "企业主动申请退出雁阵计划",
        "企业被吊销营业执照",
    ]

    static let centreClosingReason = "合作协议期满未续签，业务并入姜堰—上海离岸创新中心"

    /// The partner of the district's joint innovation centres.
    static let researchInstitute = "泰州市产业技术研究院"

    static let technologyBureau = "姜堰区科技局"
    static let financeBureau = "姜堰区财政局"
}
